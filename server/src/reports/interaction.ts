import {
  DATE_GRAINS,
  dimensionKey,
  resolveDatePreset,
  todayIn,
  type Field,
  type Filter,
  type ReportFilter,
  type ReportFilterValue,
  isDataWidget,
  type DataWidget,
  type SelectionItem,
  type Widget,
} from '@shulan/shared';
import { rowFieldsOf } from '../calc/calcScope.js';
import type { QueryableDataset } from '../datasources/types.js';
import type { Deps } from '../deps.js';
import { ValidationError, msg } from '../errors.js';
import { isCalendarDate, isDateType } from './queryValues.js';

// Viewer interaction on a report: relative dates, linkage (联动) and drill-down (下钻). Each turns
// into plain query filters or a swapped dimension before the query compiler sees the widget, so
// caching, permissions and the SQL builders treat them like any other query.

type Grain = (typeof DATE_GRAINS)[number];
type Scalar = string | number | boolean | null;
type Dimension = DataWidget['query']['dimensions'][number];

/** Today in the server's time zone (SHULAN_TIME_ZONE), by the server's clock. */
export function serverToday(deps: Pick<Deps, 'config' | 'clock'>): string {
  return todayIn(deps.config.timeZone, deps.clock());
}

/**
 * The filter values with every relative date (sent, or a saved default) turned into its days, so
 * the rest of the query layer only ever sees from/to.
 */
export function resolvePresets(
  filters: ReportFilter[],
  values: Record<string, ReportFilterValue>,
  today: string | (() => string),
): Record<string, ReportFilterValue> {
  const out = { ...values };
  for (const f of filters) {
    if (f.kind !== 'date_range') continue;
    const v = f.id in values ? values[f.id] : f.default;
    if (v && !Array.isArray(v) && v.preset) out[f.id] = resolveDatePreset(v.preset, typeof today === 'string' ? today : today());
  }
  return out;
}

/** The levels a widget drills through: its first dimension, then `options.drillFields`. */
export function hierarchyOf(widget: Widget): Dimension[] {
  const first = widget.query?.dimensions[0];
  if (!first || widget.kind === 'kpi') return [];
  return [first, ...(widget.kind === 'table' ? [] : (widget.options?.drillFields ?? []))];
}

const MONTHS: Partial<Record<Grain, number>> = { month: 1, quarter: 3, year: 12 };

/** The first day of the next period after `start` ('YYYY-MM-DD', already truncated to its grain). */
function nextPeriod(start: string, grain: Grain): string {
  const d = new Date(`${start}T00:00:00Z`);
  if (grain === 'day') d.setUTCDate(d.getUTCDate() + 1);
  else if (grain === 'week') d.setUTCDate(d.getUTCDate() + 7);
  else d.setUTCMonth(d.getUTCMonth() + MONTHS[grain]!);
  return d.toISOString().slice(0, 10);
}

/**
 * Filters keeping only one category of a dimension: equality, the empty category, or for a date
 * bucket its whole period (the month of '2025-03-01' under grain month).
 */
export function pinFilters(field: Field, grain: Grain | undefined, value: Scalar): Filter[] {
  const g: Grain | undefined = grain ?? (field.type === 'date' ? 'day' : undefined);
  if (value === null) return [{ field: field.name, op: 'is_null' }];
  if (g) {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      throw new ValidationError(msg(`「${String(value)}」不是有效日期`, `"${String(value)}" is not a valid date`));
    }
    return [
      { field: field.name, op: 'gte', value },
      { field: field.name, op: 'lt', value: nextPeriod(value, g) },
    ];
  }
  return [{ field: field.name, op: 'eq', value }];
}

function fieldOf(dataset: Pick<QueryableDataset, 'fields' | 'calculated' | 'name'>, name: string): Field {
  // Calculated row-level fields drill and filter like real ones.
  const f = rowFieldsOf(dataset).find((x) => x.name === name);
  if (!f) throw new ValidationError(msg(`数据集「${dataset.name}」没有字段「${name}」`, `Dataset "${dataset.name}" has no field "${name}"`), { field: name });
  return f;
}

/**
 * The widget as seen at a drill-down path: grouped by the level below the last value chosen,
 * within the categories chosen. Sorting by the first dimension follows it down.
 */
export function applyDrill(widget: DataWidget, dataset: QueryableDataset, drill: Scalar[] | undefined): DataWidget {
  if (!drill || drill.length === 0) return widget;
  const levels = hierarchyOf(widget);
  if (levels.length < 2) {
    throw new ValidationError(msg('这个组件没有设置下钻层级', 'This widget has no drill-down hierarchy'), { widgetId: widget.id });
  }
  if (drill.length > levels.length - 1) {
    throw new ValidationError(msg('已经是最底层，不能继续下钻', 'Already at the lowest level of the hierarchy'), { widgetId: widget.id });
  }
  const pins = drill.flatMap((v, i) => pinFilters(fieldOf(dataset, levels[i]!.field), levels[i]!.grain, v));
  const next = levels[drill.length]!;
  const oldKey = dimensionKey(levels[0]!);
  const newKey = dimensionKey(next);
  return {
    ...widget,
    query: {
      ...widget.query,
      dimensions: [next, ...widget.query.dimensions.slice(1)],
      filters: [...widget.query.filters, ...pins],
      sort: widget.query.sort.map((s) => (s.key === oldKey ? { ...s, key: newKey } : s)),
    },
  };
}

/** A field of one dataset under another dataset's name for it, through a report filter's datasetFields. */
function mapField(filters: ReportFilter[], fromDataset: string, field: string, toDataset: string): string {
  if (fromDataset === toDataset) return field;
  const f = filters.find((x) => (x.datasetFields?.[fromDataset] ?? x.field) === field);
  return f ? (f.datasetFields?.[toDataset] ?? f.field) : field;
}

/**
 * Query filters for `widget` from the categories clicked on other widgets. A selection on a field
 * this widget's dataset lacks does not apply; a selection naming a widget, field or level the
 * report does not have is a 400.
 */
export function selectionFilters(widgets: Widget[], filters: ReportFilter[], widget: DataWidget, dataset: QueryableDataset, selection: SelectionItem[] | undefined): Filter[] {
  const out: Filter[] = [];
  for (const item of selection ?? []) {
    const source = widgets.filter(isDataWidget).find((w) => w.id === item.widgetId);
    if (!source) throw new ValidationError(msg(`报表没有组件「${item.widgetId}」`, `The report has no widget "${item.widgetId}"`), { widgetId: item.widgetId });
    if (source.options?.linkage === false) {
      throw new ValidationError(msg(`组件「${source.title || source.id}」没有开启联动`, `Widget "${source.title || source.id}" does not filter other widgets`), { widgetId: source.id });
    }
    const level = hierarchyOf(source).find((d) => d.field === item.field && d.grain === item.grain);
    if (!level) {
      throw new ValidationError(msg(`组件「${source.title || source.id}」不能按「${item.field}」联动`, `Widget "${source.title || source.id}" cannot filter by "${item.field}"`), {
        widgetId: source.id,
        field: item.field,
      });
    }
    if (source.id === widget.id) continue; // the widget clicked keeps showing every category
    const name = mapField(filters, source.datasetId, item.field, dataset.id);
    const field = rowFieldsOf(dataset).find((f) => f.name === name);
    if (!field || (item.grain && !isDateType(field.type))) continue;
    out.push(...pinFilters(field, item.grain, item.value));
  }
  return out;
}

/** Checks a widget's drill hierarchy and linkage against its dataset when the report is saved. */
export function assertInteraction(widget: DataWidget, dataset: QueryableDataset): void {
  const drillFields = widget.options?.drillFields ?? [];
  if (drillFields.length === 0) return;
  if (widget.kind === 'table' || widget.kind === 'kpi' || widget.query.dimensions.length === 0) {
    throw new ValidationError(msg('只有带维度的图表可以下钻', 'Only charts with a dimension can drill down'), { widgetId: widget.id });
  }
  const seen = new Set([dimensionKey(widget.query.dimensions[0]!)]);
  for (const d of drillFields) {
    const field = fieldOf(dataset, d.field);
    if (d.grain && !isDateType(field.type)) {
      throw new ValidationError(msg(`下钻字段「${field.name}」不是日期，不能按时间粒度下钻`, `Drill field "${field.name}" is not a date, so it has no grain`), { field: field.name });
    }
    const key = dimensionKey(d);
    if (seen.has(key)) throw new ValidationError(msg(`下钻层级「${key}」重复`, `Drill level "${key}" appears twice`), { field: d.field });
    seen.add(key);
  }
}
