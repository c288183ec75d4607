import { isStaticWidgetKind, type Field } from '@shulan/shared';
import type { Widget } from '../../api/types';
import { dropField, isNumericField } from './reportDraft';

/** Why a field dropped on a canvas widget changed nothing; the editor says so in words. */
export type DropRefusal = 'notData' | 'otherDataset' | 'noRoom';

/**
 * A dataset field dropped straight onto a widget of the canvas: numbers (and aggregate
 * calculated fields) join its measures summed, text and dates its dimensions, a detail table's
 * columns. Refused when the widget draws no data, reads another dataset (the field would not
 * exist there), or already has the field or no room for it (a KPI card has no dimension).
 */
export function dropFieldOnWidget(widget: Widget, field: Field, fieldDatasetId: string): { widget: Widget } | { refused: DropRefusal } {
  if (isStaticWidgetKind(widget.kind) || !widget.query) return { refused: 'notData' };
  if (widget.datasetId !== fieldDatasetId) return { refused: 'otherDataset' };
  const slot = widget.kind === 'table' && widget.query.columns !== undefined ? 'column' : isNumericField(field) || field.aggregate ? 'measure' : 'dimension';
  const query = dropField(widget.kind, widget.query, field, slot);
  if (query === widget.query) return { refused: 'noRoom' };
  return { widget: { ...widget, query } };
}
