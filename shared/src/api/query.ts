import { z } from 'zod';

/** Field references are plain names; the server checks each against the dataset's field list. */
const FieldRef = z.string().min(1).max(128);

/** 'calc': the measure is an aggregate calculated field, which aggregates itself (`SUM([利润]) / SUM([销售额])`). */
export const AGGREGATES = ['sum', 'avg', 'count', 'count_distinct', 'min', 'max', 'calc'] as const;
export type Aggregate = (typeof AGGREGATES)[number];

export const DATE_GRAINS = ['day', 'week', 'month', 'quarter', 'year'] as const;

const Scalar = z.union([z.string().max(1000), z.number(), z.boolean()]);

export const FilterSchema = z.discriminatedUnion('op', [
  z.strictObject({ field: FieldRef, op: z.enum(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), value: Scalar }),
  z.strictObject({ field: FieldRef, op: z.enum(['in', 'not_in']), value: z.array(Scalar).min(1).max(1000) }),
  z.strictObject({ field: FieldRef, op: z.literal('between'), value: z.tuple([Scalar, Scalar]) }),
  z.strictObject({ field: FieldRef, op: z.literal('contains'), value: z.string().max(1000) }),
  z.strictObject({ field: FieldRef, op: z.enum(['is_null', 'not_null']) }),
]);
export type Filter = z.infer<typeof FilterSchema>;

export const DimensionSchema = z.strictObject({
  field: FieldRef,
  grain: z.enum(DATE_GRAINS).optional(),
});

export const MeasureSchema = z.strictObject({
  field: FieldRef.optional(),
  agg: z.enum(AGGREGATES),
  label: z.string().max(64).optional(),
});

export const QuerySpecSchema = z.strictObject({
  dimensions: z.array(DimensionSchema).max(5).default([]),
  measures: z.array(MeasureSchema).max(10).default([]),
  /** Plain columns, for a detail table without aggregation. */
  columns: z.array(FieldRef).max(100).optional(),
  filters: z.array(FilterSchema).max(50).default([]),
  sort: z
    .array(z.strictObject({ key: z.string().max(160), dir: z.enum(['asc', 'desc']) }))
    .max(10)
    .default([]),
  limit: z.number().int().min(1).max(100_000).default(1000),
  offset: z.number().int().min(0).max(10_000_000).default(0),
});
export type QuerySpec = z.infer<typeof QuerySpecSchema>;
export type QuerySpecInput = z.input<typeof QuerySpecSchema>;

/**
 * Keys of result columns (row keys, sort keys, chart encodings), stable across runs:
 * - a detail column or a dimension without grain: the field name (`区域`)
 * - a dimension with a date grain: `<field>__<grain>` (`日期__month`), values 'YYYY-MM-DD'
 * - a measure: `<agg>__<field>` (`sum__销售额`), or `count` for a row count without a field
 */
export function dimensionKey(d: { field: string; grain?: (typeof DATE_GRAINS)[number] | undefined }): string {
  return d.grain ? `${d.field}__${d.grain}` : d.field;
}
export function measureKey(m: { field?: string | undefined; agg: Aggregate }): string {
  return m.field === undefined ? 'count' : `${m.agg}__${m.field}`;
}

export interface QueryResult {
  /**
   * `type` is a FieldType; `label` is for display (Chinese). `scale`: decimals to show for an exact
   * decimal column (a DECIMAL's scale; averages carry more digits in the value but show this many).
   */
  columns: { key: string; label: string; type: string; scale?: number }[];
  /** Numbers that a JSON number would round (beyond 2^53, 16+ digits) come as decimal text: see exactNumber.ts. */
  rows: Record<string, string | number | boolean | null>[];
  /** Total rows before limit/offset, for paged tables. */
  total: number;
  cached: boolean;
}
