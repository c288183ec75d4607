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
  /**
   * Exact decimals (`number` only): digits after the point of a DECIMAL(precision, scale) column,
   * inferred from an upload's values or read from the source's catalog. Sums keep this scale
   * exactly; averages are rounded to scale + 4 (MariaDB's rule) on every engine. Absent for
   * floating-point columns.
   */
  scale?: number;
  /** Total digits of that DECIMAL (up to 38); only meaningful with `scale`. */
  precision?: number;
  /** A calculated field of the dataset (an expression over its other fields), listed after the real ones. */
  calculated?: boolean;
  /** A calculated field whose expression aggregates (`SUM([利润]) / SUM([销售额])`): usable only as a measure, with agg 'calc'. */
  aggregate?: boolean;
}

export const WIDGET_KINDS = ['table', 'bar', 'line', 'pie', 'kpi', 'area', 'combo', 'scatter', 'funnel', 'gauge', 'map', 'pivot', 'text'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];

/** Kinds that draw no data: no dataset, no query, no data call (text/title blocks). */
export const STATIC_WIDGET_KINDS: readonly WidgetKind[] = ['text'];
export function isStaticWidgetKind(kind: WidgetKind): boolean {
  return STATIC_WIDGET_KINDS.includes(kind);
}
