import type { Field } from '@shulan/shared';

/** The drag payload of a dataset field (native HTML5 drag and drop, so Playwright can drive it). */
export const FIELD_MIME = 'application/x-shulan-field';

/** What a field drag carries: the field and the dataset it belongs to (a canvas widget may read another). */
export interface FieldDragData {
  name: string;
  type: Field['type'];
  datasetId?: string;
}

export function startFieldDrag(e: React.DragEvent, field: Field, datasetId?: string): void {
  const data: FieldDragData = { name: field.name, type: field.type, ...(datasetId ? { datasetId } : {}) };
  e.dataTransfer.setData(FIELD_MIME, JSON.stringify(data));
  e.dataTransfer.setData('text/plain', field.name);
  e.dataTransfer.effectAllowed = 'copy';
}

export const isFieldDrag = (e: React.DragEvent) => e.dataTransfer.types.includes(FIELD_MIME);

/** The payload of a field drop; null for a drop that is not a field drag. */
export function fieldDragData(e: React.DragEvent): FieldDragData | null {
  try {
    const data = JSON.parse(e.dataTransfer.getData(FIELD_MIME)) as FieldDragData;
    return typeof data?.name === 'string' ? data : null;
  } catch {
    return null;
  }
}

/** The field a drop carries, looked up in the dataset's own list (a stale or foreign drag gives null). */
export function droppedField(e: React.DragEvent, fields: readonly Field[]): Field | null {
  const data = fieldDragData(e);
  return (data && fields.find((f) => f.name === data.name)) ?? null;
}
