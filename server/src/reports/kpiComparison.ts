import type { DateRangeBounds, Filter, KpiComparison, QueryResult, ReportFilter, ReportFilterValue, DataWidget, WidgetData, WidgetOptions } from '@shulan/shared';
import { getQueryableDataset } from '../datasets/getQueryableDataset.js';
import type { QueryableDataset } from '../datasources/types.js';
import type { Deps } from '../deps.js';
import { resolvePresets, serverToday } from './interaction.js';
import { kpiSparkline } from './kpiSparkline.js';
import type { Viewer } from '../permissions/viewer.js';
import { isCalendarDate } from './queryValues.js';
import { assertKnownFilters, filterFieldIn, filtersForDataset } from './reportFilters.js';
import type { ReportRecord } from './reportRepo.js';
import { runQuery } from './runQuery.js';

export type CompareMode = NonNullable<WidgetOptions['compare']>;

/** A KPI widget's figure, as shown on its card, with the change against an earlier range. */
export interface KpiFigure {
  result: QueryResult;
  value: number | null;
  /** Null when the widget does not compare or no closed date range is in effect. */
  comparison: KpiComparison | null;
}

/**
 * The KPI figure and its comparison under the given report filter values (defaults fill the
 * rest), for the widget-data route and for anything else that shows a KPI headline, such as
 * WeCom report cards. Two queries at most: the current range and the earlier one.
 */
export async function kpiFigure(
  deps: Deps,
  report: ReportRecord,
  widget: DataWidget,
  sent: Record<string, ReportFilterValue>,
  /** Whose row and column permissions apply; null only where no dataset of the report has any (cards). */
  viewer: Viewer | null,
  /** Linkage filters from other widgets' clicks (interaction.ts selectionFilters). */
  extra: Filter[] = [],
  /** The widget's dataset when the caller has already loaded it (for the same viewer). */
  loaded?: QueryableDataset,
): Promise<KpiFigure> {
  assertKnownFilters(report.definition.filters, sent);
  // Relative dates (本月…) become days here, so the comparison shifts real days too.
  const values = resolvePresets(report.definition.filters, sent, () => serverToday(deps));
  const dataset = loaded ?? (await getQueryableDataset(deps, widget.datasetId, viewer));
  const run = (v: Record<string, ReportFilterValue>) =>
    runQuery(deps.queryCache, dataset, widget.query, [...filtersForDataset(report.definition.filters, v, dataset), ...extra]);
  const result = await run(values);
  const value = kpiValueOf(result);
  const compare = widget.kind === 'kpi' ? widget.options?.compare : undefined;
  const inEffect = compare ? dateRangeInEffect(report.definition.filters, values, dataset) : null;
  if (!compare || !inEffect) return { result, value, comparison: null };

  const previousRange = earlierRange(inEffect.range, compare);
  const previous = kpiValueOf(await run({ ...values, [inEffect.filterId]: previousRange }));
  return {
    result,
    value,
    comparison: { current: value, previous, changeRatio: changeRatio(value, previous), range: inEffect.range, previousRange },
  };
}

/** The widget-data answer for a KPI widget: its rows, plus `comparison` when it asks for one. */
export async function kpiWidgetData(
  deps: Deps,
  report: ReportRecord,
  widget: DataWidget,
  values: Record<string, ReportFilterValue>,
  viewer: Viewer,
  extra: Filter[] = [],
  dataset?: QueryableDataset,
): Promise<WidgetData> {
  const fig = await kpiFigure(deps, report, widget, values, viewer, extra, dataset);
  const data: WidgetData = widget.options?.compare ? { ...fig.result, comparison: fig.comparison } : fig.result;
  if (!widget.options?.sparkline) return data;
  const ds = dataset ?? (await getQueryableDataset(deps, widget.datasetId, viewer));
  // The trend runs over the same days as the figure: relative dates (本月…) resolved first.
  const resolved = resolvePresets(report.definition.filters, values, () => serverToday(deps));
  return { ...data, sparkline: await kpiSparkline(deps, report.definition.filters, widget, resolved, ds) };
}

/** The number a KPI card shows: the first numeric column of the first row (as the web and phone draw it). */
export function kpiValueOf(result: QueryResult): number | null {
  const col = result.columns.find((c) => c.type === 'integer' || c.type === 'number') ?? result.columns[result.columns.length - 1];
  const v = col ? result.rows[0]?.[col.key] : undefined;
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function changeRatio(current: number | null, previous: number | null): number | null {
  if (current === null || previous === null || previous === 0) return null;
  return (current - previous) / Math.abs(previous);
}

/**
 * The first date-range filter that applies to this dataset and has both ends set (the value sent,
 * else the saved default). An open end gives no period to compare, so there is none.
 */
export function dateRangeInEffect(
  filters: ReportFilter[],
  values: Record<string, ReportFilterValue>,
  dataset: Pick<QueryableDataset, 'id' | 'fields'>,
): { filterId: string; range: DateRangeBounds } | null {
  for (const f of filters) {
    if (f.kind !== 'date_range' || !filterFieldIn(f, dataset)) continue;
    const v = f.id in values ? values[f.id] : f.default;
    if (!v || Array.isArray(v) || !v.from || !v.to) continue;
    if (!isCalendarDate(v.from) || !isCalendarDate(v.to) || v.from > v.to) continue;
    return { filterId: f.id, range: { from: v.from, to: v.to } };
  }
  return null;
}

/**
 * previous_period: the range of the same number of days ending the day before `from`
 * (1–31 March → 29 Jan–28 Feb). previous_year: the same dates a year earlier, 29 Feb → 28 Feb.
 */
export function earlierRange(range: DateRangeBounds, mode: CompareMode): DateRangeBounds {
  if (mode === 'previous_year') return { from: yearEarlier(range.from), to: yearEarlier(range.to) };
  const days = dayNumber(range.to) - dayNumber(range.from) + 1;
  return { from: fromDayNumber(dayNumber(range.from) - days), to: fromDayNumber(dayNumber(range.from) - 1) };
}

const DAY_MS = 86_400_000;
const dayNumber = (ymd: string) => Date.parse(`${ymd}T00:00:00Z`) / DAY_MS;
const fromDayNumber = (n: number) => new Date(n * DAY_MS).toISOString().slice(0, 10);

function yearEarlier(ymd: string): string {
  const [y, m, d] = ymd.split('-').map(Number) as [number, number, number];
  const candidate = `${String(y - 1).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  return isCalendarDate(candidate) ? candidate : `${String(y - 1).padStart(4, '0')}-02-28`;
}
