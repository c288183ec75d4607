import { z } from 'zod';
import { CURRENCIES, FORMAT_DATE_GRAINS, FORMAT_KINDS, FORMAT_UNITS } from '../format.js';
import { WIDGET_KINDS, isStaticWidgetKind } from '../types.js';
import { DATE_PRESETS } from '../datePresets.js';
import { DATE_GRAINS, DimensionSchema, QuerySpecSchema, type QueryResult, type QuerySpec } from './query.js';
import type { ErrorCode } from '../errors.js';

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

/** How one result column is shown (shared/src/format.ts applies it). */
export const FieldFormatSchema = z.strictObject({
  kind: z.enum(FORMAT_KINDS),
  decimals: z.number().int().min(0).max(10).optional(),
  thousands: z.boolean().optional(),
  unit: z.enum(FORMAT_UNITS).optional(),
  currency: z.enum(CURRENCIES).optional(),
  dateGrain: z.enum(FORMAT_DATE_GRAINS).optional(),
});

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
  /** Text widget: plain text, line breaks kept; never read as HTML. */
  text: z.string().max(2000).optional(),
  /** Text widget: a heading or a paragraph. */
  textStyle: z.enum(['title', 'body']).optional(),
  /** Bar / line / area: stack to 100% (each category's bars fill the axis, values as shares). */
  percent: z.boolean().optional(),
  /** Combo: measure keys drawn as lines on a right-hand axis; the other measures are bars. */
  secondaryMeasures: z.array(z.string().min(1).max(160)).max(10).optional(),
  /** Gauge: the dial's full scale (default: a round number above the value). */
  gaugeMax: z.number().positive().max(1e15).optional(),
  /** KPI: a small trend line of the figure over the report's date field (needs a date-range filter). */
  sparkline: z.boolean().optional(),
  /** Pivot: how many of the dimensions (from the end) go across as columns; the rest are rows. Default 1. */
  pivotColumns: z.number().int().min(0).max(4).optional(),
  /** Pivot: subtotal rows and columns per group, plus grand totals. */
  subtotals: z.boolean().optional(),
  /** Display format per result column key (`sum__销售额`, `日期__month`). */
  formats: z
    .record(z.string().min(1).max(160), FieldFormatSchema)
    .refine((r) => Object.keys(r).length <= 50, { message: 'at most 50 column formats' })
    .optional(),
  /**
   * Drill-down hierarchy below the widget's first dimension, e.g. [城市, 门店], or for a date the
   * same field at finer grains (年 → 月 → 日). Clicking a category goes one level down.
   */
  drillFields: z.array(DimensionSchema).max(5).optional(),
  /** Clicks on this widget filter the report's other widgets (联动); default true. */
  linkage: z.boolean().optional(),
});
export type WidgetOptions = z.infer<typeof WidgetOptionsSchema>;

/**
 * One block on the report canvas. Data widgets (every kind but `text`) carry a dataset and a
 * query; text widgets carry neither, only `options.text` / `options.textStyle`.
 */
export const WidgetSchema = z
  .strictObject({
    id: LocalId,
    kind: z.enum(WIDGET_KINDS),
    title: z.string().trim().max(100),
    datasetId: z.string().min(1).max(64).optional(),
    query: QuerySpecSchema.optional(),
    layout: WidgetLayoutSchema,
    options: WidgetOptionsSchema.optional(),
  })
  .superRefine((w, ctx) => {
    if (isStaticWidgetKind(w.kind)) {
      if (w.datasetId !== undefined) ctx.addIssue({ code: 'custom', path: ['datasetId'], message: `a ${w.kind} widget has no dataset` });
      if (w.query !== undefined) ctx.addIssue({ code: 'custom', path: ['query'], message: `a ${w.kind} widget has no query` });
    } else {
      if (w.datasetId === undefined) ctx.addIssue({ code: 'custom', path: ['datasetId'], message: 'pick a dataset for this widget' });
      if (w.query === undefined) ctx.addIssue({ code: 'custom', path: ['query'], message: 'this widget needs a query' });
    }
  });
export type Widget = z.infer<typeof WidgetSchema>;
export type WidgetInput = z.input<typeof WidgetSchema>;
/** A widget that reads data: what the data, export, drill and card code works on. */
export type DataWidget = Widget & { datasetId: string; query: QuerySpec };

/** True for widgets with a dataset and a query (the schema guarantees both for every kind but text). */
export function isDataWidget(w: Widget): w is DataWidget {
  return !isStaticWidgetKind(w.kind) && w.datasetId !== undefined && w.query !== undefined;
}

export const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const IsoDate = z.string().regex(ISO_DATE, 'expected a date like 2025-01-31');

/**
 * Value of a date-range filter: either end may be open. Both ends inclusive. A `preset` (本月,
 * 近 7 天…) stands for days relative to today and wins over from/to: the server resolves it in
 * its time zone at every query, so a saved default or a shared link keeps meaning "this month".
 */
export const DateRangeValueSchema = z.strictObject({
  from: IsoDate.nullable().optional(),
  to: IsoDate.nullable().optional(),
  preset: z.enum(DATE_PRESETS).optional(),
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

const SelectionValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

/**
 * Linkage (联动): a category clicked on another widget of the report. `widgetId` is the widget
 * clicked, `field`/`grain` one level of its hierarchy (first dimension or drillFields), `value` the
 * raw category value as its data call returned it (a date-grain value stands for its whole
 * period). Applies to the widgets whose dataset has the field (mapped like report filters,
 * through a filter's datasetFields), never to the widget clicked.
 */
export const SelectionItemSchema = z.strictObject({
  widgetId: LocalId,
  field: z.string().min(1).max(128),
  grain: z.enum(DATE_GRAINS).optional(),
  value: SelectionValue,
});
export type SelectionItem = z.infer<typeof SelectionItemSchema>;
export const SelectionSchema = z.array(SelectionItemSchema).max(10);

/**
 * Drill-down path: the categories chosen so far, one per level from the first dimension down
 * `options.drillFields`. The widget then groups by the next level, within those categories.
 */
export const DrillPathSchema = z.array(SelectionValue).max(5);

/** Body of POST …/widgets/:widgetId/data. Filter values by report filter id. */
export const WidgetDataBodySchema = z.strictObject({
  selection: SelectionSchema.optional(),
  drill: DrillPathSchema.optional(),
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
  /** The linkage and drill-down in effect on the widget (see WidgetDataBodySchema); `value` is a category of its current level. */
  selection: SelectionSchema.optional(),
  drill: DrillPathSchema.optional(),
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
  /**
   * 1 = cells as the report shows them (the widget's formats: 万/亿, ¥, %, months as 2025年3月).
   * Default: raw numbers and ISO dates, which Excel can sum and sort.
   */
  formatted: z.enum(['0', '1']).optional(),
  /** Linkage and drill-down path (WidgetDataBodySchema), JSON-encoded. */
  selection: z.string().max(20_000).optional(),
  drill: z.string().max(6000).optional(),
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

/** One bucket of a KPI's trend: the bucket's first day (YYYY-MM-DD) and the figure over it. */
export interface KpiSparkPoint {
  date: string;
  value: number | null;
}

/** A KPI's trend over its dataset's date field (`options.sparkline`), at most ~60 buckets. */
export interface KpiSparkline {
  field: string;
  grain: 'day' | 'week' | 'month' | 'quarter' | 'year';
  points: KpiSparkPoint[];
}

/**
 * Widget data. KPI widgets with `options.compare` also carry `comparison`: null when no closed
 * date range is in effect for the widget's dataset (nothing to compare with). KPI widgets with
 * `options.sparkline` carry `sparkline`: null when the dataset has no date field.
 */
export type WidgetData = QueryResult & { comparison?: KpiComparison | null; sparkline?: KpiSparkline | null };

/**
 * Body of POST /api/reports/:reportId/data: several widgets' data in one request, each with the
 * same body as its own data call. A dashboard opens with one request instead of one per widget
 * (the mini program may have only 10 requests in flight), and the server authorizes the viewer,
 * reads the report and resolves each dataset once for all of them.
 */
export const ReportDataBodySchema = z.strictObject({
  widgets: z
    .array(z.strictObject({ widgetId: z.string().min(1).max(64), body: WidgetDataBodySchema }))
    .min(1)
    .max(30),
});
export type ReportDataBody = z.input<typeof ReportDataBodySchema>;

/** One widget's answer in a report data call: its data, or the error its own call would have given. */
export type ReportDataItem =
  | { widgetId: string; data: WidgetData }
  | { widgetId: string; error: { status: number; code: ErrorCode; message: string; details?: unknown } };
export interface ReportData {
  /** In the order asked. */
  widgets: ReportDataItem[];
}
