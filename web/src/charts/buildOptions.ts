import { formatDateValue, formatDecimal, formatValue, isExactNumeric, type FieldFormat, type FormatLang, type QueryResult, type WidgetKind, type WidgetOptions } from '@shulan/shared';
import type { EChartsCoreOption } from './echarts';
import { normalizeProvince } from './map/provinces';

type Cell = string | number | boolean | null;

/** Which result columns are categories and which are values: the first `dimensionCount` columns are dimensions. */
export function split(result: QueryResult, dimensionCount?: number) {
  const dims = dimensionCount ?? Math.max(1, result.columns.findIndex((c) => isNumericType(c.type)));
  return { dims: result.columns.slice(0, dims), measures: result.columns.slice(dims) };
}

export function isNumericType(type: string): boolean {
  return ['number', 'integer', 'float', 'decimal', 'bigint'].includes(type);
}

function label(v: Cell): string {
  if (v === null) return '∅';
  return String(v);
}

/** Date buckets come back as the bucket's first day; show them at the grain the user chose. */
function bucketLabel(v: Cell, key: string, fmt?: FieldFormat, lang: FormatLang = 'zh'): string {
  if (fmt?.kind === 'date' && v !== null) return formatDateValue(v, fmt.dateGrain, lang);
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

/** How a measure's values print: its format when the widget has one, else ≤ 2 decimals with separators. */
function valueFormatter(fmt: FieldFormat | undefined, lang: FormatLang) {
  return (v: unknown): string => (v === null || v === undefined || v === '' ? '—' : formatValue(v as Cell, fmt ?? { kind: 'number' }, lang));
}

/** Axis ticks: the measure's format, else 万 / 亿 (K / M in English) so long numbers stay short. */
function axisFormatter(fmt: FieldFormat | undefined, lang: FormatLang) {
  const f: FieldFormat = fmt ? { ...fmt, ...(fmt.unit ? {} : { unit: 'auto' as const }), decimals: undefined } : { kind: 'number', unit: 'auto' };
  // Ticks are round numbers: "50%" and "¥500", not "50.0%" and "¥500.00".
  return (v: number) => formatValue(v, f, lang).replace(/\.(\d*?)0+(?=\D*$)/, (_m, d: string) => (d ? `.${d}` : ''));
}

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };

/** Category labels never overlap: thinned by ECharts, rotated when there are many, long ones cut. */
function categoryAxis(categories: string[], horizontal: boolean) {
  const longest = categories.reduce((m, c) => Math.max(m, c.length), 0);
  const rotate = !horizontal && (categories.length > 8 || (categories.length > 4 && longest > 6)) ? 30 : 0;
  return {
    type: 'category',
    data: categories,
    axisLabel: { hideOverlap: true, interval: 'auto', rotate, width: horizontal ? 96 : 80, overflow: 'truncate' },
  };
}

export interface BuildInput {
  result: QueryResult;
  dimensionCount?: number;
  options?: WidgetOptions;
  lang?: FormatLang;
}

interface CartesianSeries {
  name: string;
  key: string;
  data: (number | null)[];
}

/** Categories of the first dimension in row order, and one series per measure (or per second-dimension value). */
function cartesianData(result: QueryResult, dimensionCount: number | undefined, options: WidgetOptions, lang: FormatLang) {
  const { dims, measures } = split(result, dimensionCount);
  const first = dims[0];
  if (!first || measures.length === 0) return null;
  const fmtFirst = options.formats?.[first.key];
  const catOf = (row: QueryResult['rows'][number]) => bucketLabel(row[first.key] ?? null, first.key, fmtFirst, lang);
  const categories: string[] = [];
  const seen = new Set<string>();
  for (const row of result.rows) {
    const c = catOf(row);
    if (!seen.has(c)) {
      seen.add(c);
      categories.push(c);
    }
  }
  const second = dims[1];
  const m0 = measures[0]!;
  let series: CartesianSeries[];
  if (second && measures.length === 1) {
    const byGroup = new Map<string, Map<string, number | null>>();
    for (const row of result.rows) {
      const g = bucketLabel(row[second.key] ?? null, second.key, options.formats?.[second.key], lang);
      if (!byGroup.has(g)) byGroup.set(g, new Map());
      byGroup.get(g)!.set(catOf(row), num(row[m0.key] ?? null));
    }
    series = [...byGroup].map(([name, values]) => ({ name, key: m0.key, data: categories.map((c) => values.get(c) ?? null) }));
  } else {
    series = measures.map((m) => {
      const values = new Map(result.rows.map((row) => [catOf(row), num(row[m.key] ?? null)]));
      return { name: m.label, key: m.key, data: categories.map((c) => values.get(c) ?? null) };
    });
  }
  return { categories, series };
}

/** Each category's values as shares of its total (absolute values), for 100% stacks. */
function toShares(series: CartesianSeries[], count: number): CartesianSeries[] {
  const totals = Array.from({ length: count }, (_, i) => series.reduce((s, x) => s + Math.abs(x.data[i] ?? 0), 0));
  return series.map((s) => ({ ...s, data: s.data.map((v, i) => (v === null || totals[i] === 0 ? null : v / totals[i]!)) }));
}

/**
 * Bar, line, area and combo: categories along one axis, one series per measure; with two
 * dimensions and one measure the second dimension becomes the series (grouped bars / lines).
 */
function buildCartesian(kind: 'bar' | 'line' | 'area' | 'combo', input: BuildInput): EChartsCoreOption {
  const options = input.options ?? {};
  const lang = input.lang ?? 'zh';
  const data = cartesianData(input.result, input.dimensionCount, options, lang);
  if (!data) return { title: { text: '' } };
  const { categories } = data;
  const percent = options.percent === true && kind !== 'combo';
  const series = percent ? toShares(data.series, categories.length) : data.series;
  const horizontal = kind === 'bar' && options.horizontal === true;
  const secondary = new Set(kind === 'combo' ? (options.secondaryMeasures ?? []) : []);
  const fmtOf = (key: string): FieldFormat | undefined => (percent ? { kind: 'percent', decimals: 1 } : options.formats?.[key]);
  const primaryKey = series.find((s) => !secondary.has(s.key))?.key ?? series[0]!.key;
  const secondaryKey = series.find((s) => secondary.has(s.key))?.key;

  const cat = categoryAxis(categories, horizontal);
  const valueAxis = (key: string | undefined, extra: Record<string, unknown> = {}) => ({
    type: 'value',
    ...(percent ? { max: 1 } : {}),
    axisLabel: { formatter: axisFormatter(key ? fmtOf(key) : undefined, lang), hideOverlap: true },
    ...extra,
  });
  const yAxis = kind === 'combo' && secondaryKey
    ? [valueAxis(primaryKey), valueAxis(secondaryKey, { position: 'right', splitLine: { show: false } })]
    : valueAxis(primaryKey);

  return {
    tooltip: { trigger: 'axis' },
    legend: series.length > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { ...grid, top: series.length > 1 ? 36 : 16 },
    xAxis: horizontal ? valueAxis(primaryKey) : cat,
    yAxis: horizontal ? { ...cat, inverse: true } : yAxis,
    series: series.map((s) => {
      const asLine = kind === 'line' || kind === 'area' || (kind === 'combo' && secondary.has(s.key));
      const fmt = valueFormatter(fmtOf(s.key), lang);
      return {
        name: s.name,
        data: s.data,
        type: asLine ? 'line' : 'bar',
        ...(kind === 'combo' && secondary.has(s.key) && secondaryKey ? { yAxisIndex: 1 } : {}),
        ...(kind === 'area' ? { areaStyle: { opacity: 0.25 } } : {}),
        smooth: asLine && options.smooth === true,
        barMaxWidth: 48,
        ...(options.stacked || percent ? { stack: kind === 'combo' ? (secondary.has(s.key) ? 'right' : 'left') : 'total' } : {}),
        tooltip: { valueFormatter: fmt },
        labelLayout: { hideOverlap: true },
        ...(options.showLabels
          ? { label: { show: true, position: horizontal ? 'right' : options.stacked || percent ? 'inside' : 'top', formatter: (p: { value: unknown }) => fmt(p.value) } }
          : {}),
      };
    }),
  };
}

export function buildBarOption(result: QueryResult, dimensionCount?: number, options?: WidgetOptions, lang?: FormatLang): EChartsCoreOption {
  return buildCartesian('bar', { result, dimensionCount, options, lang });
}

export function buildLineOption(result: QueryResult, dimensionCount?: number, options?: WidgetOptions, lang?: FormatLang): EChartsCoreOption {
  return buildCartesian('line', { result, dimensionCount, options, lang });
}

/** A pie (or donut) of the first measure over the first dimension. */
export function buildPieOption(result: QueryResult, dimensionCount?: number, options: WidgetOptions = {}, lang: FormatLang = 'zh'): EChartsCoreOption {
  const { dims, measures } = split(result, dimensionCount);
  const d = dims[0];
  const m = measures[0];
  if (!d || !m) return { title: { text: '' } };
  return {
    tooltip: { trigger: 'item', valueFormatter: valueFormatter(options.formats?.[m.key], lang) },
    legend: { type: 'scroll', orient: 'vertical', right: 0, top: 'middle' },
    series: [
      {
        type: 'pie',
        name: m.label,
        radius: options.donut ? ['40%', '70%'] : '70%',
        label: { show: options.showLabels !== false, formatter: '{b}: {d}%' },
        labelLayout: { hideOverlap: true },
        center: ['40%', '50%'],
        data: result.rows.map((row) => ({ name: bucketLabel(row[d.key] ?? null, d.key, options.formats?.[d.key], lang), value: num(row[m.key] ?? null) })),
      },
    ],
  };
}

/** Scatter: the first two measures as x and y, one point per row named by the first dimension; a second dimension colours groups. */
export function buildScatterOption(input: BuildInput): EChartsCoreOption {
  const { result, options = {}, lang = 'zh' } = input;
  const { dims, measures } = split(result, input.dimensionCount);
  const [mx, my] = measures;
  if (!mx || !my) return { title: { text: '' } };
  const name = dims[0];
  const group = dims[1];
  const fx = valueFormatter(options.formats?.[mx.key], lang);
  const fy = valueFormatter(options.formats?.[my.key], lang);
  const groups = new Map<string, { name: string; value: [number | null, number | null] }[]>();
  for (const row of result.rows) {
    const g = group ? bucketLabel(row[group.key] ?? null, group.key, options.formats?.[group.key], lang) : my.label;
    if (!groups.has(g)) groups.set(g, []);
    groups.get(g)!.push({
      name: name ? bucketLabel(row[name.key] ?? null, name.key, options.formats?.[name.key], lang) : '',
      value: [num(row[mx.key] ?? null), num(row[my.key] ?? null)],
    });
  }
  return {
    tooltip: {
      trigger: 'item',
      formatter: (p: { name: string; value: [number, number] }) => `${p.name ? `${p.name}<br/>` : ''}${mx.label}: ${fx(p.value[0])}<br/>${my.label}: ${fy(p.value[1])}`,
    },
    legend: groups.size > 1 ? { top: 0, type: 'scroll' } : undefined,
    grid: { ...grid, top: groups.size > 1 ? 36 : 24, bottom: 24 },
    xAxis: { type: 'value', name: mx.label, nameLocation: 'middle', nameGap: 24, scale: true, axisLabel: { formatter: axisFormatter(options.formats?.[mx.key], lang), hideOverlap: true } },
    yAxis: { type: 'value', name: my.label, scale: true, axisLabel: { formatter: axisFormatter(options.formats?.[my.key], lang), hideOverlap: true } },
    series: [...groups].map(([g, data]) => ({
      type: 'scatter',
      name: g,
      data,
      symbolSize: 10,
      labelLayout: { hideOverlap: true },
      ...(options.showLabels ? { label: { show: true, position: 'top', formatter: '{b}' } } : {}),
    })),
  };
}

/** Funnel: the first measure over the first dimension, widest first. */
export function buildFunnelOption(input: BuildInput): EChartsCoreOption {
  const { result, options = {}, lang = 'zh' } = input;
  const { dims, measures } = split(result, input.dimensionCount);
  const d = dims[0];
  const m = measures[0];
  if (!d || !m) return { title: { text: '' } };
  const fmt = valueFormatter(options.formats?.[m.key], lang);
  return {
    tooltip: { trigger: 'item', valueFormatter: fmt },
    legend: { type: 'scroll', top: 0 },
    series: [
      {
        type: 'funnel',
        name: m.label,
        top: 32,
        bottom: 8,
        left: '10%',
        width: '80%',
        sort: 'descending',
        gap: 2,
        label: { show: true, position: 'inside', formatter: (p: { name: string; value: unknown }) => `${p.name} ${fmt(p.value)}` },
        labelLayout: { hideOverlap: true },
        data: result.rows.map((row) => ({ name: bucketLabel(row[d.key] ?? null, d.key, options.formats?.[d.key], lang), value: num(row[m.key] ?? null) })),
      },
    ],
  };
}

/** 1, 2, 2.5, 5 × 10ⁿ at least `v`: the gauge's default full scale. */
export function niceCeil(v: number): number {
  if (!(v > 0)) return 100;
  const p = Math.pow(10, Math.floor(Math.log10(v)));
  const f = v / p;
  return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 2.5 ? 2.5 : f <= 5 ? 5 : 10) * p;
}

/** Gauge: the KPI figure on a dial from 0 to `gaugeMax` (default: a round number above it). */
export function buildGaugeOption(input: BuildInput): EChartsCoreOption {
  const { result, options = {}, lang = 'zh' } = input;
  const value = kpiValue(result);
  const col = result.columns.find((c) => isNumericType(c.type));
  const fmt = valueFormatter(col ? options.formats?.[col.key] : undefined, lang);
  const max = options.gaugeMax ?? niceCeil(Math.abs(value ?? 0) * 1.1);
  return {
    tooltip: { trigger: 'item', valueFormatter: fmt },
    series: [
      {
        type: 'gauge',
        name: col?.label ?? '',
        min: 0,
        max,
        radius: '90%',
        center: ['50%', '58%'],
        progress: { show: true, width: 12 },
        axisLine: { lineStyle: { width: 12 } },
        splitNumber: 5,
        axisLabel: { distance: 16, formatter: axisFormatter(col ? options.formats?.[col.key] : undefined, lang) },
        pointer: { width: 4 },
        title: { offsetCenter: [0, '70%'] },
        detail: { valueAnimation: false, offsetCenter: [0, '40%'], fontSize: 20, formatter: (v: number) => fmt(v) },
        data: [{ value: value ?? 0, name: col?.label ?? '' }],
      },
    ],
  };
}

/** China map: the first measure per province (first dimension), names like 广东省 / 广东 matched alike. */
export function buildMapOption(input: BuildInput): EChartsCoreOption & { unmatched: string[] } {
  const { result, options = {}, lang = 'zh' } = input;
  const { dims, measures } = split(result, input.dimensionCount);
  const d = dims[0];
  const m = measures[0];
  if (!d || !m) return { title: { text: '' }, unmatched: [] };
  const fmt = valueFormatter(options.formats?.[m.key], lang);
  const data: { name: string; value: number | null }[] = [];
  const unmatched: string[] = [];
  for (const row of result.rows) {
    const raw = row[d.key];
    const name = normalizeProvince(raw === null || raw === undefined ? '' : String(raw));
    if (name) data.push({ name, value: num(row[m.key] ?? null) });
    else if (raw !== null && raw !== undefined && raw !== '') unmatched.push(String(raw));
  }
  const values = data.map((x) => x.value).filter((v): v is number => v !== null);
  return {
    unmatched,
    tooltip: { trigger: 'item', valueFormatter: fmt },
    visualMap: {
      type: 'continuous',
      min: values.length ? Math.min(0, ...values) : 0,
      max: values.length ? Math.max(...values, 1) : 1,
      left: 8,
      bottom: 8,
      calculable: true,
      inRange: { color: ['#e8f3ff', '#0052d9'] },
      formatter: (v: number) => axisFormatter(options.formats?.[m.key], lang)(v),
    },
    series: [
      {
        type: 'map',
        map: 'china',
        name: m.label,
        roam: false,
        label: { show: options.showLabels === true, fontSize: 9 },
        labelLayout: { hideOverlap: true },
        emphasis: { label: { show: true } },
        data,
      },
    ],
  };
}

/** The ECharts option for a chart kind drawn by ECharts; null for table, KPI and pivot. */
export function buildChartOption(kind: WidgetKind, input: BuildInput): EChartsCoreOption | null {
  switch (kind) {
    case 'bar':
    case 'line':
    case 'area':
    case 'combo':
      return buildCartesian(kind, input);
    case 'pie':
      return buildPieOption(input.result, input.dimensionCount, input.options, input.lang);
    case 'scatter':
      return buildScatterOption(input);
    case 'funnel':
      return buildFunnelOption(input);
    case 'gauge':
      return buildGaugeOption(input);
    case 'map':
      return buildMapOption(input);
    default:
      return null;
  }
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
