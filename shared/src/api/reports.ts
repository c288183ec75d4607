import { z } from 'zod';
import { WIDGET_KINDS } from '../types.js';
import { QuerySpecSchema, type QueryResult } from './query.js';

/** Ids of widgets and filters are chosen by the editor UI; short and URL-safe. */
const LocalId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'id may contain letters, digits, _ and - only');

/** Position on the 12-column report grid. */
export const WidgetLayoutSchema = z
  .strictObject({
    x: z.number().int().min(0).max(11),
    y: z.number().int().min(0).max(1000),
    w: z.number().int().min(1).max(12),
    h: z.number().int().min(1).max(40),
  })
  .refine((l) => l.x + l.w <= 12, { message: 'x + w must not exceed 12 columns' });

export const WidgetOptionsSchema = z.strictObject({
  stacked: z.boolean().optional(),
  showLabels: z.boolean().optional(),
  /** Pie: draw as a ring. */
  donut: z.boolean().optional(),
  /** Line: smooth curve. */
  smooth: z.boolean().optional(),
  /** Bar: horizontal bars. */
  horizontal: z.boolean().optional(),
  /** KPI: text before / after the number, e.g. "¥" or "件". */
  prefix: z.string().max(16).optional(),
  suffix: z.string().max(16).optional(),
  /** Table: rows per page. */
  pageSize: z.number().int().min(1).max(1000).optional(),
  /**
   * KPI: show the change against an earlier range of the report's date-range filter:
   * the same-length range just before it (环比) or the same dates a year earlier (同比).
   */
  compare: z.enum(['previous_period', 'previous_year']).optional(),
});
export type WidgetOptions = z.infer<typeof WidgetOptionsSchema>;

export const WidgetSchema = z.strictObject({
  id: LocalId,
  kind: z.enum(WIDGET_KINDS),
  title: z.string().trim().max(100),
  datasetId: z.string().min(1).max(64),
  query: QuerySpecSchema,
  layout: WidgetLayoutSchema,
  options: WidgetOptionsSchema.optional(),
});
export type Widget = z.infer<typeof WidgetSchema>;
export type WidgetInput = z.input<typeof WidgetSchema>;

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const IsoDate = z.string().regex(ISO_DATE, 'expected a date like 2025-01-31');

/** Value of a date-range filter: either end may be open. Both ends inclusive. */
export const DateRangeValueSchema = z.strictObject({
  from: IsoDate.nullable().optional(),
  to: IsoDate.nullable().optional(),
});
export type DateRangeValue = z.infer<typeof DateRangeValueSchema>;

/** Value of a value-list filter: the selected values (empty = no filtering). */
export const ValuesFilterValueSchema = z.array(z.union([z.string().max(1000), z.number(), z.boolean()])).max(1000);

export const ReportFilterValueSchema = z.union([DateRangeValueSchema, ValuesFilterValueSchema, z.null()]);
export type ReportFilterValue = z.infer<typeof ReportFilterValueSchema>;

/**
 * A report-level filter. It applies to every widget whose dataset has the field: `field` by
 * default, or the per-dataset name in `datasetFields` (datasetId → field name).
 */
export const ReportFilterSchema = z.strictObject({
  id: LocalId,
  label: z.string().trim().min(1).max(64),
  kind: z.enum(['date_range', 'values']),
  field: z.string().min(1).max(128),
  datasetFields: z.record(z.string().max(64), z.string().min(1).max(128)).optional(),
  default: ReportFilterValueSchema.optional(),
});
export type ReportFilter = z.infer<typeof ReportFilterSchema>;

export const ReportDefinitionSchema = z
  .strictObject({
    widgets: z.array(WidgetSchema).max(30),
    filters: z.array(ReportFilterSchema).max(10).default([]),
  })
  .superRefine((d, ctx) => {
    const seen = new Set<string>();
    d.widgets.forEach((w, i) => {
      if (seen.has(w.id)) ctx.addIssue({ code: 'custom', path: ['widgets', i, 'id'], message: `duplicate widget id ${w.id}` });
      seen.add(w.id);
    });
    const seenF = new Set<string>();
    d.filters.forEach((f, i) => {
      if (seenF.has(f.id)) ctx.addIssue({ code: 'custom', path: ['filters', i, 'id'], message: `duplicate filter id ${f.id}` });
      seenF.add(f.id);
    });
  });
export type ReportDefinition = z.infer<typeof ReportDefinitionSchema>;
export type ReportDefinitionInput = z.input<typeof ReportDefinitionSchema>;

export const CreateReportBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100),
  description: z.string().trim().max(1000).nullable().optional(),
  definition: ReportDefinitionSchema,
});
export type CreateReportBody = z.infer<typeof CreateReportBodySchema>;

export const UpdateReportBodySchema = z.strictObject({
  name: z.string().trim().min(1).max(100).optional(),
  description: z.string().trim().max(1000).nullable().optional(),
  definition: ReportDefinitionSchema.optional(),
});
export type UpdateReportBody = z.infer<typeof UpdateReportBodySchema>;

export const ReportListQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export interface ReportSummary {
  id: string;
  name: string;
  description: string | null;
  widgetCount: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface ReportList {
  items: ReportSummary[];
  total: number;
}

export interface ReportDetail extends ReportSummary {
  definition: ReportDefinition;
  /** Editors and admins may change the report and its grants. */
  canEdit: boolean;
  /** The caller starred it (sent by GET /api/reports/:id). */
  favorite?: boolean;
}

/** Answer of PUT / DELETE /api/reports/:reportId/favorite. */
export interface FavoriteState {
  favorite: boolean;
}

export const SortOverrideSchema = z
  .array(z.strictObject({ key: z.string().max(160), dir: z.enum(['asc', 'desc']) }))
  .max(10);

/** Body of POST …/widgets/:widgetId/data. Filter values by report filter id. */
export const WidgetDataBodySchema = z.strictObject({
  filters: z
    .record(z.string().max(64), ReportFilterValueSchema)
    .refine((r) => Object.keys(r).length <= 10, { message: 'at most 10 filters' })
    .default({}),
  /** Table widgets: 1-based page. */
  page: z.number().int().min(1).max(1_000_000).optional(),
  pageSize: z.number().int().min(1).max(1000).optional(),
  sort: SortOverrideSchema.optional(),
  /** An admin's "view as" ticket (POST …/view-as): the data as that user sees it. */
  viewAs: z.string().max(2000).optional(),
});
export type WidgetDataBody = z.infer<typeof WidgetDataBodySchema>;

/** Most rows one drill page carries: a phone lists them, it does not export them. */
export const DRILL_MAX_PAGE_SIZE = 200;

/**
 * Body of POST …/widgets/:widgetId/drill: the detail rows behind one category of a chart or KPI
 * widget. `value` is the raw value of the widget's first dimension as the data call returned it
 * (a date-grain value such as '2025-03-01' stands for its whole month/week/…; null = the empty
 * category). Report filters apply exactly as for the widget's data.
 */
export const WidgetDrillBodySchema = z.strictObject({
  filters: WidgetDataBodySchema.shape.filters,
  value: z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]),
  page: z.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.number().int().min(1).max(DRILL_MAX_PAGE_SIZE).default(50),
  viewAs: WidgetDataBodySchema.shape.viewAs,
});
export type WidgetDrillBody = z.input<typeof WidgetDrillBodySchema>;

/** Query string of the CSV export: the same choices as the data call, JSON-encoded. */
export const WidgetExportQuerySchema = z.strictObject({
  filters: z.string().max(20_000).optional(),
  sort: z.string().max(2000).optional(),
  viewAs: WidgetDataBodySchema.shape.viewAs,
});

export const FilterValuesQuerySchema = z.strictObject({
  q: z.string().trim().max(100).optional(),
  viewAs: WidgetDataBodySchema.shape.viewAs,
});

export interface FilterValues {
  values: (string | number | boolean)[];
  /** True when the list was cut at 1000 values. */
  truncated: boolean;
}

export const QueryPreviewBodySchema = z.strictObject({
  datasetId: z.string().min(1).max(64),
  query: QuerySpecSchema,
});
export type QueryPreviewBody = z.infer<typeof QueryPreviewBodySchema>;

/** Who besides editors and admins may see a report. */
export const ReportGrantsSchema = z.strictObject({
  users: z.array(z.string().min(1).max(64)).max(10_000),
  groups: z.array(z.string().min(1).max(64)).max(1000),
  /** WeCom department groups (also in `groups`) whose sub-departments are granted too. */
  subDepartments: z.array(z.string().min(1).max(64)).max(1000).default([]),
});
export type ReportGrants = z.infer<typeof ReportGrantsSchema>;

export interface DateRangeBounds {
  from: string;
  to: string;
}

/**
 * A KPI widget's figure next to the same figure over an earlier range (`WidgetOptions.compare`).
 * `changeRatio` is (current − previous) / |previous|, null when either is missing or previous is 0.
 */
export interface KpiComparison {
  current: number | null;
  previous: number | null;
  changeRatio: number | null;
  range: DateRangeBounds;
  previousRange: DateRangeBounds;
}

/**
 * Widget data. KPI widgets with `options.compare` also carry `comparison`: null when no closed
 * date range is in effect for the widget's dataset (nothing to compare with).
 */
export type WidgetData = QueryResult & { comparison?: KpiComparison | null };
