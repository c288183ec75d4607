export const ROLES = ['admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const USER_STATUSES = ['active', 'disabled'] as const;
export type UserStatus = (typeof USER_STATUSES)[number];

/** Column types the query layer understands, inferred on upload or read from a source. */
export const FIELD_TYPES = ['string', 'integer', 'number', 'boolean', 'date', 'datetime'] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

export interface Field {
  name: string;
  type: FieldType;
}

export const WIDGET_KINDS = ['table', 'bar', 'line', 'pie', 'kpi', 'text'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];

/** Kinds that draw no data: no dataset, no query, no data call (text/title blocks). */
export const STATIC_WIDGET_KINDS: readonly WidgetKind[] = ['text'];
export function isStaticWidgetKind(kind: WidgetKind): boolean {
  return STATIC_WIDGET_KINDS.includes(kind);
}
