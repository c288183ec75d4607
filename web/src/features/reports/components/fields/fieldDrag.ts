import type { Field } from '@shulan/shared';

/** The drag payload of a dataset field (native HTML5 drag and drop, so Playwright can drive it). */
export const FIELD_MIME = 'application/x-shulan-field';

export function startFieldDrag(e: React.DragEvent, field: Field): void {
  e.dataTransfer.setData(FIELD_MIME, JSON.stringify({ name: field.name, type: field.type }));
  e.dataTransfer.setData('text/plain', field.name);
  e.dataTransfer.effectAllowed = 'copy';
}

export const isFieldDrag = (e: React.DragEvent) => e.dataTransfer.types.includes(FIELD_MIME);

/** The field a drop carries, looked up in the dataset's own list (a stale or foreign drag gives null). */
export function droppedField(e: React.DragEvent, fields: readonly Field[]): Field | null {
  try {
    const { name } = JSON.parse(e.dataTransfer.getData(FIELD_MIME)) as { name: string };
    return fields.find((f) => f.name === name) ?? null;
  } catch {
    return null;
  }
}
