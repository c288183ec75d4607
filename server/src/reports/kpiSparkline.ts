import { dimensionKey, type DataWidget, type KpiSparkline, type QuerySpec, type ReportFilter, type ReportFilterValue } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import type { Deps } from '../deps.js';
import { dateRangeInEffect } from './kpiComparison.js';
import { filterFieldIn, filtersForDataset } from './reportFilters.js';
import { runQuery } from './runQuery.js';

/** A sparkline is a glance, not a chart: the latest buckets only. */
export const SPARKLINE_MAX_POINTS = 60;

const DAY_MS = 86_400_000;

/**
 * The date field a KPI's trend runs along: the field of the report's first date-range filter that
 * applies to the dataset (the range the reader chose), else the dataset's first date field.
 */
export function sparklineField(filters: ReportFilter[], dataset: Pick<QueryableDataset, 'id' | 'fields'>): string | null {
  for (const f of filters) {
    if (f.kind !== 'date_range') continue;
    const field = filterFieldIn(f, dataset);
    if (field && (field.type === 'date' || field.type === 'datetime')) return field.name;
  }
  return dataset.fields.find((f) => f.type === 'date' || f.type === 'datetime')?.name ?? null;
}

/** Days for up to two months, weeks up to about a year, months beyond (and when the range is open). */
export function sparklineGrain(range: { from: string; to: string } | null): KpiSparkline['grain'] {
  if (!range) return 'month';
  const days = (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS + 1;
  if (days <= 62) return 'day';
  if (days <= 434) return 'week';
  return 'month';
}

/**
 * The KPI's figure per date bucket, under the same report filters as the figure itself; the latest
 * SPARKLINE_MAX_POINTS buckets, oldest first. Null when the dataset has no date field.
 */
export async function kpiSparkline(
  deps: Deps,
  filters: ReportFilter[],
  widget: DataWidget,
  values: Record<string, ReportFilterValue>,
  dataset: QueryableDataset,
): Promise<KpiSparkline | null> {
  const field = sparklineField(filters, dataset);
  const measure = widget.query.measures[0];
  if (!field || !measure) return null;
  const grain = sparklineGrain(dateRangeInEffect(filters, values, dataset)?.range ?? null);
  const dim = { field, grain };
  const key = dimensionKey(dim);
  const spec: QuerySpec = {
    dimensions: [dim],
    measures: [measure],
    filters: [...widget.query.filters, { field, op: 'not_null' }],
    sort: [{ key, dir: 'desc' }],
    limit: SPARKLINE_MAX_POINTS,
    offset: 0,
  };
  const res = await runQuery(deps.queryCache, dataset, spec, filtersForDataset(filters, values, dataset));
  const valueKey = res.columns[1]?.key;
  const points = res.rows
    .map((row) => {
      const v = valueKey ? row[valueKey] : null;
      const n = typeof v === 'number' ? v : v === null || v === undefined ? null : Number(v);
      return { date: String(row[key] ?? '').slice(0, 10), value: n !== null && Number.isFinite(n) ? n : null };
    })
    .reverse();
  return { field, grain, points };
}
