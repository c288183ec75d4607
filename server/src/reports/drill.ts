import type { DataWidget, QuerySpec } from '@shulan/shared';
import type { QueryableDataset } from '../datasources/types.js';
import { ValidationError, msg } from '../errors.js';
import { pinFilters } from './interaction.js';
import { rowFieldsOf } from '../calc/calcScope.js';
import { visibleFields } from './compileQuery.js';

/**
 * The query listing the rows behind one category of a widget: every field of the dataset, the
 * widget's own filters, and the first dimension pinned to `value`. A date category stands for
 * its whole period (the month of '2025-03-01' under grain month), so it becomes a range.
 * A drilled-down widget (interaction.ts applyDrill) arrives with its current level first.
 */
export function drillSpec(widget: DataWidget, dataset: QueryableDataset, value: string | number | boolean | null, page: number, pageSize: number): QuerySpec {
  const dim = widget.query.dimensions[0];
  if (widget.kind === 'table' || !dim) {
    throw new ValidationError(msg('这个组件没有可下钻的分类', 'This widget has no category to drill into'));
  }
  const field = rowFieldsOf(dataset).find((f) => f.name === dim.field);
  if (!field) throw new ValidationError(msg(`数据集没有字段「${dim.field}」`, `The dataset has no field "${dim.field}"`));
  return {
    dimensions: [],
    measures: [],
    // Every field the viewer may see (hidden ones left out, masked ones masked).
    columns: visibleFields(dataset).map((f) => f.name),
    filters: [...widget.query.filters, ...pinFilters(field, dim.grain, value)],
    sort: [],
    limit: pageSize,
    offset: (page - 1) * pageSize,
  };
}
