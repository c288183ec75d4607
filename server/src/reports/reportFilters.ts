import type { CalculatedField, Field, Filter, ReportFilter, ReportFilterValue } from '@shulan/shared';
import { rowFieldsOf } from '../calc/calcScope.js';
import type { QueryableDataset } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';
import { isCalendarDate } from './queryValues.js';

/** The field a report filter uses in this dataset, or null when the dataset lacks it (filter skipped). */
export function filterFieldIn(filter: ReportFilter, dataset: { id: string; fields: Field[]; calculated?: CalculatedField[] }): Field | null {
  const name = filter.datasetFields?.[dataset.id] ?? filter.field;
  return rowFieldsOf(dataset).find((f) => f.name === name) ?? null;
}

/** Throws 400 for values sent for filters the report does not have. */
export function assertKnownFilters(filters: ReportFilter[], values: Record<string, ReportFilterValue>): void {
  for (const id of Object.keys(values)) {
    if (!filters.some((f) => f.id === id)) {
      throw new ValidationError(msg(`报表没有筛选器「${id}」`, `The report has no filter "${id}"`), { filterId: id });
    }
  }
}

/**
 * Turns the report-level filter values (falling back to each filter's default) into query
 * filters for one widget's dataset. Filters whose field the dataset lacks do not apply.
 */
export function filtersForDataset(
  filters: ReportFilter[],
  values: Record<string, ReportFilterValue>,
  dataset: QueryableDataset,
): Filter[] {
  const out: Filter[] = [];
  for (const rf of filters) {
    const field = filterFieldIn(rf, dataset);
    const value = rf.id in values ? values[rf.id] : rf.default;
    if (!field || value === null || value === undefined) continue;
    const wrongShape = () =>
      new ValidationError(msg(`筛选器「${rf.label}」的值格式不对`, `The value of filter "${rf.label}" has the wrong shape`), {
        filterId: rf.id,
      });
    if (rf.kind === 'date_range') {
      if (Array.isArray(value)) throw wrongShape();
      for (const day of [value.from, value.to]) {
        if (day && !isCalendarDate(day)) {
          throw new ValidationError(
            msg(`筛选器「${rf.label}」的日期「${day}」不存在，请选择有效日期`, `Filter "${rf.label}": ${day} is not a real date`),
            { filterId: rf.id },
          );
        }
      }
      if (value.from) out.push({ field: field.name, op: 'gte', value: value.from });
      if (value.to) {
        // Both ends are whole days: a datetime must fall before the next day starts.
        if (field.type === 'datetime') out.push({ field: field.name, op: 'lt', value: nextDay(value.to) });
        else out.push({ field: field.name, op: 'lte', value: value.to });
      }
    } else {
      if (!Array.isArray(value)) throw wrongShape();
      if (value.length > 0) out.push({ field: field.name, op: 'in', value });
    }
  }
  return out;
}

function nextDay(isoDate: string): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}
