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
  /** A calculated field of the dataset (an expression over its other fields), listed after the real ones. */
  calculated?: boolean;
  /** A calculated field whose expression aggregates (`SUM([利润]) / SUM([销售额])`): usable only as a measure, with agg 'calc'. */
  aggregate?: boolean;
}

export const WIDGET_KINDS = ['table', 'bar', 'line', 'pie', 'kpi'] as const;
export type WidgetKind = (typeof WIDGET_KINDS)[number];
