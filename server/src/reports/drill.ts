import { DATE_GRAINS, type Filter, type QuerySpec, type Widget } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';
import { visibleFields } from './compileQuery.js';
import { isCalendarDate } from './queryValues.js';

type Grain = (typeof DATE_GRAINS)[number];
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
 * The query listing the rows behind one category of a widget: every field of the dataset, the
 * widget's own filters, and the first dimension pinned to `value`. A date category stands for
 * its whole period (the month of '2025-03-01' under grain month), so it becomes a range.
 */
export function drillSpec(widget: Widget, dataset: QueryableDataset, value: string | number | boolean | null, page: number, pageSize: number): QuerySpec {
  const dim = widget.query.dimensions[0];
  if (widget.kind === 'table' || !dim) {
    throw new ValidationError(msg('这个组件没有可下钻的分类', 'This widget has no category to drill into'));
  }
  const field = dataset.fields.find((f) => f.name === dim.field);
  if (!field) throw new ValidationError(msg(`数据集没有字段「${dim.field}」`, `The dataset has no field "${dim.field}"`));
  const grain: Grain | undefined = dim.grain ?? (field.type === 'date' ? 'day' : undefined);
  let pin: Filter[];
  if (value === null) pin = [{ field: field.name, op: 'is_null' }];
  else if (grain) {
    if (typeof value !== 'string' || !isCalendarDate(value)) {
      throw new ValidationError(msg(`「${String(value)}」不是有效日期`, `"${String(value)}" is not a valid date`));
    }
    pin = [
      { field: field.name, op: 'gte', value },
      { field: field.name, op: 'lt', value: nextPeriod(value, grain) },
    ];
  } else pin = [{ field: field.name, op: 'eq', value }];
  return {
    dimensions: [],
    measures: [],
    // Every field the viewer may see (hidden ones left out, masked ones masked).
    columns: visibleFields(dataset).map((f) => f.name),
    filters: [...widget.query.filters, ...pin],
    sort: [],
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}
