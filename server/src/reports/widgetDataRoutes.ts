import {
  DrillPathSchema,
  FilterValuesQuerySchema,
  SelectionSchema,
  QueryPreviewBodySchema,
  SortOverrideSchema,
  ReportDataBodySchema,
  WidgetDataBodySchema,
  WidgetDrillBodySchema,
  type ReportData,
  type ReportDataItem,
  type SessionUser,
  type WidgetDataBody,
  WidgetExportQuerySchema,
  type FilterValues,
  type QueryResult,
  type QuerySpec,
  type ReportFilterValue,
  isDataWidget,
  type DataWidget,
  type SelectionItem,
  type WidgetData,
} from '@shulan/shared';
import { z } from 'zod';
import { getQueryableDataset } from '../datasets/getQueryableDataset.js';
import { viewerFor } from '../permissions/viewAs.js';
import { loadViewer, type Viewer } from '../permissions/viewer.js';
import type { Deps } from '../deps.js';
import { NotFoundError, ValidationError, msg } from '../errors.js';
import { route, type RouteDef } from '../http/route.js';
import { drillSpec } from './drill.js';
import { applyDrill, resolvePresets, selectionFilters, serverToday } from './interaction.js';
import { assertKnownFilters, filterFieldIn, filtersForDataset } from './reportFilters.js';
import { kpiWidgetData } from './kpiComparison.js';
import { FilterParamsSchema, ReportParamsSchema, WidgetParamsSchema } from './reportParams.js';
import { getReport, type ReportRecord } from './reportRepo.js';
import { errorResponse } from '../http/errorHandler.js';
import type { QueryableDataset } from '../datasources/types.js';

type DatasetLoader = (datasetId: string, viewer: Viewer) => Promise<QueryableDataset>;
import { runQuery } from './runQuery.js';
import { attachmentHeader, toCsv } from './toCsv.js';

export const EXPORT_MAX_ROWS = 100_000;
const FILTER_VALUES_MAX = 1000;
const PREVIEW_MAX_ROWS = 5000;
const DEFAULT_PAGE_SIZE = 50;

/** Data behind a report: widget results, CSV export, filter value lists, and the editor's preview. */
export function widgetDataRoutes(deps: Deps): RouteDef[] {
  const { db } = deps;

  /**
   * The report and its data widget (404; 400 for a text widget, which has no data).
   * Access was checked by the route's 'report' rule.
   */
  async function widgetFor(reportId: string, widgetId: string) {
    const report = await getReport(db, reportId);
    return { report, widget: dataWidgetOf(report, widgetId) };
  }

  /** The report's data widget by id: 404 when there is none, 400 for a text widget. */
  function dataWidgetOf(report: ReportRecord, widgetId: string): DataWidget {
    const widget = report.definition.widgets.find((w) => w.id === widgetId);
    if (!widget) throw new NotFoundError(msg('组件', 'Widget'));
    if (!isDataWidget(widget)) {
      throw new ValidationError(msg('文本组件没有数据', 'A text widget has no data'), { widgetId: widget.id, kind: widget.kind });
    }
    return widget;
  }

  /**
   * The widget as the viewer sees it: drilled down along `drill`, narrowed by the categories
   * clicked on other widgets (`selection`), under the report filter values (relative dates resolved).
   */
  async function interactive(
    viewer: Viewer,
    report: ReportRecord,
    widget: DataWidget,
    values: Record<string, ReportFilterValue>,
    selection: SelectionItem[] | undefined,
    drill: (string | number | boolean | null)[] | undefined,
    datasets?: DatasetLoader,
  ) {
    assertKnownFilters(report.definition.filters, values);
    const dataset = await (datasets ? datasets(widget.datasetId, viewer) : getQueryableDataset(deps, widget.datasetId, viewer));
    const { widgets, filters } = report.definition;
    const linked = selectionFilters(widgets, filters, widget, dataset, selection);
    const resolved = resolvePresets(filters, values, () => serverToday(deps));
    return { dataset, widget: applyDrill(widget, dataset, drill), linked, extra: [...filtersForDataset(filters, resolved, dataset), ...linked] };
  }

  /**
   * Viewers and datasets resolved once per request: a dashboard's widgets mostly share both, and
   * each costs database reads (the viewer's groups and attributes, the dataset and its permissions).
   */
  function requestMemo() {
    const viewers = new Map<string, Promise<Viewer>>();
    const datasets = new Map<Viewer, Map<string, Promise<QueryableDataset>>>();
    return {
      viewer(user: SessionUser, reportId: string, viewAs: string | undefined): Promise<Viewer> {
        const key = viewAs ?? '';
        let v = viewers.get(key);
        if (!v) viewers.set(key, (v = viewerFor(deps, user, reportId, viewAs)));
        return v;
      },
      dataset: ((datasetId: string, viewer: Viewer) => {
        let mine = datasets.get(viewer);
        if (!mine) datasets.set(viewer, (mine = new Map()));
        let d = mine.get(datasetId);
        if (!d) mine.set(datasetId, (d = getQueryableDataset(deps, datasetId, viewer)));
        return d;
      }) satisfies DatasetLoader,
    };
  }

  /** One widget's data as the viewer sees it: the body of a widget data call. */
  async function widgetData(report: ReportRecord, widgetId: string, user: SessionUser, body: WidgetDataBody, memo: ReturnType<typeof requestMemo>): Promise<WidgetData> {
    const found = dataWidgetOf(report, widgetId);
    const viewer = await memo.viewer(user, report.id, body.viewAs);
    const { dataset, widget, linked, extra } = await interactive(viewer, report, found, body.filters, body.selection, body.drill, memo.dataset);
    if (widget.kind === 'kpi') return kpiWidgetData(deps, report, widget, body.filters, viewer, linked, dataset);
    let spec = widget.query;
    if (widget.kind === 'table') {
      if (body.page !== undefined || body.pageSize !== undefined) {
        const size = body.pageSize ?? widget.options?.pageSize ?? DEFAULT_PAGE_SIZE;
        spec = { ...spec, limit: size, offset: ((body.page ?? 1) - 1) * size };
      }
      if (body.sort) spec = { ...spec, sort: body.sort };
    }
    return runQuery(deps.queryCache, dataset, spec, extra, { withTotal: widget.kind === 'table' });
  }

  return [
    route({
      method: 'POST',
      url: '/api/reports/:reportId/widgets/:widgetId/data',
      access: 'report',
      tag: 'reports',
      summary: "A widget's data with the report filter values applied; tables take page, pageSize and sort; KPIs with options.compare add comparison",
      params: WidgetParamsSchema,
      body: WidgetDataBodySchema,
      handler: async ({ user, params, body }): Promise<WidgetData> => {
        const report = await getReport(db, params.reportId);
        return widgetData(report, params.widgetId, user!, body, requestMemo());
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports/:reportId/data',
      access: 'report',
      tag: 'reports',
      summary: "Several widgets' data in one call (a dashboard opening): each item as its own data call would answer, data or error",
      params: ReportParamsSchema,
      body: ReportDataBodySchema,
      handler: async ({ user, params, body, req }): Promise<ReportData> => {
        const report = await getReport(db, params.reportId);
        const memo = requestMemo();
        // Concurrently: identical queries share one run (QueryCache.shared), the rest use the engine's threads.
        const widgets = await Promise.all(
          body.widgets.map(async ({ widgetId, body: one }): Promise<ReportDataItem> => {
            try {
              return { widgetId, data: await widgetData(report, widgetId, user!, one, memo) };
            } catch (err) {
              // One broken widget shows its own error; the others still open.
              const { status, body: e } = errorResponse(err, req);
              return { widgetId, error: { status, ...e.error } };
            }
          }),
        );
        return { widgets };
      },
    }),
    route({
      method: 'POST',
      url: '/api/reports/:reportId/widgets/:widgetId/drill',
      access: 'report',
      tag: 'reports',
      summary: 'The detail rows behind one category of a chart widget, paged, with the report filter values applied',
      params: WidgetParamsSchema,
      body: WidgetDrillBodySchema,
      handler: async ({ user, params, body }): Promise<QueryResult> => {
        const found = await widgetFor(params.reportId, params.widgetId);
        const viewer = await viewerFor(deps, user!, found.report.id, body.viewAs);
        const { dataset, widget, extra } = await interactive(viewer, found.report, found.widget, body.filters, body.selection, body.drill);
        const spec = drillSpec(widget, dataset, body.value, body.page, body.pageSize);
        return runQuery(deps.queryCache, dataset, spec, extra, { withTotal: true });
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports/:reportId/widgets/:widgetId/export.csv',
      access: 'report',
      tag: 'reports',
      summary: `A widget's data as CSV for Excel (UTF-8 with BOM, up to ${EXPORT_MAX_ROWS} rows): raw numbers, or with formatted=1 the cells as the report shows them`,
      params: WidgetParamsSchema,
      query: WidgetExportQuerySchema,
      handler: async ({ user, params, query, reply, lang }) => {
        const found = await widgetFor(params.reportId, params.widgetId);
        const { report } = found;
        const viewer = await viewerFor(deps, user!, report.id, query.viewAs);
        const values = parseJsonParam('filters', query.filters, WidgetDataBodySchema.shape.filters) ?? {};
        const sort = parseJsonParam('sort', query.sort, SortOverrideSchema);
        const selection = parseJsonParam('selection', query.selection, SelectionSchema);
        const drill = parseJsonParam('drill', query.drill, DrillPathSchema);
        const { dataset, widget, extra } = await interactive(viewer, report, found.widget, values, selection, drill);
        const spec = { ...widget.query, limit: EXPORT_MAX_ROWS, offset: 0, ...(sort ? { sort } : {}) };
        const result = await runQuery(deps.queryCache, dataset, spec, extra, { withTotal: false, noCache: true });
        const fileName = `${report.name}-${widget.title || widget.id}.csv`;
        void reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachmentHeader(fileName))
          .header('cache-control', 'no-store')
          .send(toCsv(result, query.formatted === '1' ? { formats: widget.options?.formats, lang } : undefined));
      },
    }),
    route({
      method: 'GET',
      url: '/api/reports/:reportId/filters/:filterId/values',
      access: 'report',
      tag: 'reports',
      summary: `Distinct values for a value-list filter (at most ${FILTER_VALUES_MAX}); q narrows them`,
      params: FilterParamsSchema,
      query: FilterValuesQuerySchema,
      handler: async ({ user, params, query }): Promise<FilterValues> => {
        const report = await getReport(db, params.reportId);
        // The values the viewer's row permissions allow: a list must not reveal other regions' names.
        const viewer = await viewerFor(deps, user!, report.id, query.viewAs);
        const filter = report.definition.filters.find((f) => f.id === params.filterId);
        if (!filter) throw new NotFoundError(msg('筛选器', 'Filter'));
        if (filter.kind !== 'values') {
          throw new ValidationError(msg('只有值列表筛选器有可选值', 'Only value-list filters have a list of values'));
        }
        const values = new Set<string | number | boolean>();
        let truncated = false;
        const datasetIds = [...new Set(report.definition.widgets.filter(isDataWidget).map((w) => w.datasetId))];
        for (const id of datasetIds) {
          const dataset = await getQueryableDataset(deps, id, viewer);
          const field = filterFieldIn(filter, dataset);
          if (!field) continue;
          const spec: QuerySpec = {
            dimensions: [{ field: field.name }],
            measures: [],
            filters: [
              { field: field.name, op: 'not_null' },
              ...(query.q && field.type === 'string' ? [{ field: field.name, op: 'contains' as const, value: query.q }] : []),
            ],
            sort: [{ key: field.name, dir: 'asc' }],
            limit: FILTER_VALUES_MAX + 1,
            offset: 0,
          };
          const res = await runQuery(deps.queryCache, dataset, spec);
          if (res.rows.length > FILTER_VALUES_MAX) truncated = true;
          for (const row of res.rows) {
            const v = row[field.name];
            if (v !== null && v !== undefined) values.add(v);
          }
        }
        const sorted = [...values].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b), 'zh-CN')));
        if (sorted.length > FILTER_VALUES_MAX) truncated = true;
        return { values: sorted.slice(0, FILTER_VALUES_MAX), truncated };
      },
    }),
    route({
      method: 'POST',
      url: '/api/query/preview',
      access: 'editor',
      tag: 'reports',
      summary: `Run a query on a dataset for the editor's live preview (at most ${PREVIEW_MAX_ROWS} rows)`,
      body: QueryPreviewBodySchema,
      handler: async ({ user, body }): Promise<QueryResult> => {
        // Editors preview under their own row and column permissions.
        const dataset = await getQueryableDataset(deps, body.datasetId, await loadViewer(db, user!));
        const spec = { ...body.query, limit: Math.min(body.query.limit, PREVIEW_MAX_ROWS) };
        return runQuery(deps.queryCache, dataset, spec, [], { withTotal: true });
      },
    }),
  ];
}

/** A JSON-encoded query-string parameter, parsed and validated; 400 when malformed. */
function parseJsonParam<S extends z.ZodType>(name: string, text: string | undefined, schema: S): z.output<S> | undefined {
  if (text === undefined || text === '') return undefined;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    throw new ValidationError(msg(`参数 ${name} 不是有效的 JSON`, `Parameter ${name} is not valid JSON`));
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    throw new ValidationError(msg(`参数 ${name} 格式不对`, `Parameter ${name} has the wrong shape`), {
      issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    });
  }
  return parsed.data;
}
