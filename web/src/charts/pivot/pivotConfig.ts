import { formatValue, type FormatLang, type QueryResult, type WidgetOptions } from '@shulan/shared';
import { isNumericType, split } from '../buildOptions';

type Cell = string | number | boolean | null;

/** How a measure's subtotals are computed from its cells: sums add up, extremes stay extremes. */
export type TotalRule = 'sum' | 'min' | 'max' | 'none';

/**
 * Rule for one measure key (`sum__销售额`, `count`, `avg__单价`). An average or a distinct count
 * cannot be rebuilt from the cells (the average of averages is wrong), so those show no subtotal.
 */
export function totalRule(measureKey: string): TotalRule {
  if (measureKey === 'count' || measureKey.startsWith('sum__') || measureKey.startsWith('count__')) return 'sum';
  if (measureKey.startsWith('min__')) return 'min';
  if (measureKey.startsWith('max__')) return 'max';
  return 'none';
}

export function total(rule: TotalRule, values: number[]): number {
  if (rule === 'none' || values.length === 0) return Number.NaN;
  if (rule === 'min') return Math.min(...values);
  if (rule === 'max') return Math.max(...values);
  return values.reduce((a, b) => a + b, 0);
}

export interface PivotConfig {
  fields: { rows: string[]; columns: string[]; values: string[]; valueInCols: true };
  meta: { field: string; name: string; formatter: (v: unknown) => string }[];
  data: Record<string, Cell>[];
  /** Subtotals under each row / column group and grand totals, when asked for. */
  totals: { rowSub: string[]; colSub: string[] } | null;
}

/**
 * A pivot of the query result: the last `pivotColumns` dimensions (default 1, none when there is
 * only one) go across as column headers, the others down as row headers, the measures are the cells.
 */
export function pivotConfig(result: QueryResult, dimensionCount: number | undefined, options: WidgetOptions = {}, lang: FormatLang = 'zh'): PivotConfig {
  const { dims, measures } = split(result, dimensionCount);
  const values = measures.filter((m) => isNumericType(m.type) || m.key === 'count').map((m) => m.key);
  const across = Math.min(options.pivotColumns ?? 1, Math.max(0, dims.length - 1));
  const rows = dims.slice(0, dims.length - across).map((d) => d.key);
  const columns = dims.slice(dims.length - across).map((d) => d.key);
  const meta = result.columns.map((c) => ({
    field: c.key,
    name: c.label,
    formatter: (v: unknown) => formatValue(v as Cell, options.formats?.[c.key] ?? (values.includes(c.key) ? { kind: 'number' } : undefined), lang, c.key),
  }));
  const data = result.rows.map((row) => {
    const out: Record<string, Cell> = {};
    for (const c of result.columns) {
      const v = row[c.key] ?? null;
      // Cells must be numbers for S2 to total them; dimension values must be text for its headers.
      out[c.key] = values.includes(c.key) ? (v === null ? null : Number(v)) : v === null ? '∅' : String(v);
    }
    return out;
  });
  return {
    fields: { rows, columns, values, valueInCols: true },
    meta,
    data,
    totals: options.subtotals ? { rowSub: rows.slice(0, -1), colSub: columns.slice(0, -1) } : null,
  };
}
