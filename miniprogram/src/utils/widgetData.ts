import type { QueryResult } from '@shulan/shared';
import { formatValue, type FieldFormat, type FormatLang } from '@shulan/shared/format';
import { formatNumber } from './format';

/** The widget's per-column formats (`options.formats`) and the reader's language. */
export interface CellFormats {
  formats?: Record<string, FieldFormat>;
  lang?: FormatLang;
}

// Re-exported so existing imports from widgetData keep working; the formatter lives in format.ts.
export { formatNumber };

/** Chart-ready series: category labels and one or more numeric series; null = no value there (a gap). */
export interface ChartSeries {
  categories: string[];
  series: { name: string; values: (number | null)[] }[];
}

const isNumeric = (type: string) => type === 'number' || type === 'integer' || type === 'float' || type === 'decimal';

type Column = QueryResult['columns'][number];

/**
 * A cell as text. The widget's format (`options.formats`) wins, through the same shared formatter
 * as the web and the CSV export; otherwise numeric columns with an exact scale show exactly that
 * many decimals, and other numbers at most two, as the web's KPI cards and tables do: the same
 * card reads 5,560,959.43 on the phone and on the PC, not 5,560,959.4 on one of them.
 */
export function formatCell(v: string | number | boolean | null, col?: Column, f: CellFormats = {}): string {
  if (v === null) return '—';
  const fmt = col ? f.formats?.[col.key] : undefined;
  if (fmt) return formatValue(v, fmt, f.lang ?? 'zh', col?.key);
  if (col && isNumeric(col.type) && col.scale !== undefined && (typeof v === 'number' || typeof v === 'string')) {
    return formatNumber(v, col.scale, col.scale);
  }
  if (typeof v === 'number') return formatNumber(v, 2);
  // Exact numbers beyond what a double holds come as text.
  if (typeof v === 'string' && col && isNumeric(col.type)) return formatNumber(v);
  return String(v);
}

/** First non-numeric column = categories; numeric columns = series (the query's measures). */
export function toSeries(r: QueryResult, f: CellFormats = {}): ChartSeries {
  const measureCols = r.columns.filter((c) => isNumeric(c.type));
  const catCol = r.columns.find((c) => !isNumeric(c.type));
  return {
    categories: r.rows.map((row, i) => (catCol ? formatCell(row[catCol.key] ?? null, catCol, f) : String(i + 1))),
    series: measureCols.map((c) => ({ name: c.label, values: r.rows.map((row) => Number(row[c.key] ?? 0)) })),
  };
}

/** A cell as a number, null when it has none (the web's rule: empty or not a number is a gap). */
function num(v: unknown): number | null {
  const n = v === null || v === undefined || v === '' ? NaN : Number(v);
  return Number.isFinite(n) ? n : null;
}

/** The first `dimensionCount` columns are dimensions (default: those before the first number), the rest measures. */
export function splitColumns(r: QueryResult, dimensionCount: number | undefined): { dims: Column[]; measures: Column[] } {
  const dims = r.columns.slice(0, dimensionCount ?? Math.max(1, r.columns.findIndex((c) => isNumeric(c.type))));
  return { dims, measures: r.columns.slice(dims.length) };
}

/**
 * Bar, line, area and combo, by the web's rule (web/src/charts/buildOptions.ts): the first
 * `dimensionCount` columns are dimensions; the first dimension's distinct values run along the
 * axis; with two dimensions and one measure, one series per value of the second dimension (区域 ×
 * 产品类别 → a bar per category in each region, stacked when the widget stacks), else one series
 * per measure. A category without a value for a series is null, drawn as a gap as on the web.
 */
export function toCartesian(r: QueryResult, dimensionCount: number | undefined, f: CellFormats = {}): ChartSeries {
  const { dims, measures } = splitColumns(r, dimensionCount);
  const [first, second] = dims;
  if (!first || measures.length === 0) return toSeries(r, f);
  const label = (row: QueryResult['rows'][number], col: Column) => formatCell(row[col.key] ?? null, col, f);
  const categories = [...new Set(r.rows.map((row) => label(row, first)))];
  const at = new Map(categories.map((c, i) => [c, i]));
  const valuesOf = (rows: QueryResult['rows'], key: string) => {
    const values = categories.map((): number | null => null);
    for (const row of rows) values[at.get(label(row, first))!] = num(row[key]);
    return values;
  };
  if (second && measures.length === 1) {
    const groups = new Map<string, QueryResult['rows']>();
    for (const row of r.rows) {
      const g = label(row, second);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g)!.push(row);
    }
    return { categories, series: [...groups].map(([name, rows]) => ({ name, values: valuesOf(rows, measures[0]!.key) })) };
  }
  return { categories, series: measures.map((m) => ({ name: m.label, values: valuesOf(r.rows, m.key) })) };
}

/** The KPI figure: the first numeric value of the first row. */
export function toKpi(r: QueryResult, prefix = '', suffix = '', f: CellFormats = {}): { label: string; value: string } {
  const col = r.columns.find((c) => isNumeric(c.type)) ?? r.columns[0];
  const raw = col ? (r.rows[0]?.[col.key] ?? null) : null;
  return { label: col?.label ?? '', value: raw === null ? '—' : `${prefix}${formatCell(raw, col, f)}${suffix}` };
}

/** Table cells as display strings, so WXML only prints. */
export function toTable(r: QueryResult, f: CellFormats = {}): { columns: { key: string; label: string; numeric: boolean }[]; rows: string[][] } {
  const columns = r.columns.map((c) => ({ key: c.key, label: c.label, numeric: isNumeric(c.type) }));
  return { columns, rows: r.rows.map((row) => r.columns.map((c) => formatCell(row[c.key] ?? null, c, f))) };
}

/** Watermark text: display name plus the last 4 characters of the user id. */
export function watermarkText(displayName: string, userId: string): string {
  return `${displayName} ${userId.slice(-4)}`;
}
