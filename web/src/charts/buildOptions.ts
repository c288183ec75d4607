import { formatDecimal, isExactNumeric, type QueryResult, type WidgetOptions } from '@shulan/shared';
import type { EChartsCoreOption } from './echarts';

type Cell = string | number | boolean | null;

/** Which result columns are categories and which are values: the first `dimensionCount` columns are dimensions. */
function split(result: QueryResult, dimensionCount?: number) {
  const dims = dimensionCount ?? Math.max(1, result.columns.findIndex((c) => isNumericType(c.type)));
  return { dims: result.columns.slice(0, dims), measures: result.columns.slice(dims) };
}

function isNumericType(type: string): boolean {
  return ['number', 'integer', 'float', 'decimal', 'bigint'].includes(type);
}

function label(v: Cell): string {
  if (v === null) return '∅';
  return String(v);
}

/** Date buckets come back as the bucket's first day; show them at the grain the user chose. */
function bucketLabel(v: Cell, key: string): string {
  const grain = /__(day|week|month|quarter|year)$/.exec(key)?.[1];
  if (!grain || typeof v !== 'string' || !/^\d{4}-\d{2}/.test(v)) return label(v);
  if (grain === 'year') return v.slice(0, 4);
  if (grain === 'month') return v.slice(0, 7);
  if (grain === 'quarter') return `${v.slice(0, 4)} Q${Math.floor((Number(v.slice(5, 7)) - 1) / 3) + 1}`;
  return v.slice(0, 10);
}

function num(v: Cell): number | null {
  if (v === null || v === '') return null;
  const n = typeof v === 'number' ? v : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** Sums of decimals come back as 1797021.7499999; charts show at most two decimals with grouping. */
const valueFormat = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
function formatValue(v: unknown): string {
  return typeof v === 'number' ? valueFormat.format(v) : v === null || v === undefined ? '—' : String(v);
}

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/**
 * Categories along the x axis, one series per measure; with two dimensions and one measure
 * the second dimension becomes the series (a grouped bar / multi-line chart).
 */
function buildCartesian(result: QueryResult, type: 'bar' | 'line', dimensionCount?: number, options: WidgetOptions = {}): EChartsCoreOption {
  const { dims, measures } = split(result, dimensionCount);
  const first = dims[0];
  if (!first || measures.length === 0) return { title: { text: '' } };
  const categories: string[] = [];
  const seen = new Set<string>();
  for (const row of result.rows) {
    const c = bucketLabel(row[first.key] ?? null, first.key);
    if (!seen.has(c)) {
      seen.add(c);
      categories.push(c);
    }
  }
  const second = dims[1];
  const m0 = measures[0]!;
  let series: { name: string; data: (number | null)[] }[];
  if (second && measures.length === 1) {
    const byGroup = new Map<string, Map<string, number | null>>();
    for (const row of result.rows) {
      const g = label(row[second.key] ?? null);
      if (!byGroup.has(g)) byGroup.set(g, new Map());
      byGroup.get(g)!.set(bucketLabel(row[first.key] ?? null, first.key), num(row[m0.key] ?? null));
    }
    series = [...byGroup].map(([name, values]) => ({ name, data: categories.map((c) => values.get(c) ?? null) }));
  } else {
    series = measures.map((m) => {
      const values = new Map(result.rows.map((row) => [bucketLabel(row[first.key] ?? null, first.key), num(row[m.key] ?? null)]));
      return { name: m.label, data: categories.map((c) => values.get(c) ?? null) };
    });
  }
  const horizontal = type === 'bar' && options.horizontal === true;
  const categoryAxis = { type: 'category', data: categories, axisLabel: { hideOverlap: true } };
  const valueAxis = { type: 'value' };
  return {
    tooltip: { trigger: 'axis', valueFormatter: formatValue },
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { ...grid, top: series.length > 1 ? 36 : 16 },
    xAxis: horizontal ? valueAxis : categoryAxis,
    yAxis: horizontal ? { ...categoryAxis, inverse: true } : valueAxis,
    series: series.map((s) => ({
      ...s,
      type,
      smooth: type === 'line' && options.smooth === true,
      barMaxWidth: 48,
      ...(options.stacked ? { stack: 'total' } : {}),
      ...(options.showLabels
        ? { label: { show: true, position: horizontal ? 'right' : 'top', formatter: (p: { value: unknown }) => formatValue(p.value) } }
        : {}),
    })),
  };
}

export function buildBarOption(result: QueryResult, dimensionCount?: number, options?: WidgetOptions): EChartsCoreOption {
  return buildCartesian(result, 'bar', dimensionCount, options);
}

export function buildLineOption(result: QueryResult, dimensionCount?: number, options?: WidgetOptions): EChartsCoreOption {
  return buildCartesian(result, 'line', dimensionCount, options);
}

/** A pie (or donut) of the first measure over the first dimension. */
export function buildPieOption(result: QueryResult, dimensionCount?: number, options: WidgetOptions = {}): EChartsCoreOption {
  const { dims, measures } = split(result, dimensionCount);
  const d = dims[0];
  const m = measures[0];
  if (!d || !m) return { title: { text: '' } };
  return {
    tooltip: { trigger: 'item', valueFormatter: formatValue },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        name: m.label,
        radius: options.donut ? ['40%', '70%'] : '70%',
        label: { show: options.showLabels !== false, formatter: '{b}: {d}%' },
        center: ['40%', '50%'],
        data: result.rows.map((row) => ({ name: bucketLabel(row[d.key] ?? null, d.key), value: num(row[m.key] ?? null) })),
      },
    ],
  };
}

/** The KPI card's number: the first measure of the first row. */
export function kpiValue(result: QueryResult): number | null {
  const col = result.columns.find((c) => isNumericType(c.type)) ?? result.columns[result.columns.length - 1];
  const row = result.rows[0];
  if (!col || !row) return null;
  return num(row[col.key] ?? null);
}

/**
 * The KPI card's number as text, from the exact value: a DECIMAL column shows its scale
 * (523.10), a value beyond 2^53 every digit; other numbers as formatNumber.
 */
export function kpiText(result: QueryResult, lang: 'zh' | 'en'): string {
  const col = result.columns.find((c) => isNumericType(c.type)) ?? result.columns[result.columns.length - 1];
  const raw = col ? result.rows[0]?.[col.key] : undefined;
  if (col && isExactNumeric(raw) && (col.scale !== undefined || typeof raw === 'string')) {
    return formatDecimal(raw, { maxDecimals: col.scale ?? 2, minDecimals: col.scale ?? 0, group: true });
  }
  return formatNumber(kpiValue(result), lang);
}

export function formatNumber(n: number | null, lang: 'zh' | 'en'): string {
  if (n === null) return '—';
  return new Intl.NumberFormat(lang === 'en' ? 'en-US' : 'zh-CN', { maximumFractionDigits: 2 }).format(n);
}
