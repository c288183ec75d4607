import type { FilterValues, QueryResult, ReportData, ReportDetail, ReportList, SelectionItem, WidgetData } from '@shulan/shared';
import type { DrillPath } from '@shulan/shared/interaction';
import type { FilterState } from '../utils/filters';
import { ApiError, request } from './request';
import { t } from '../utils/i18n';



export function listReports(q = ''): Promise<ReportList> {
  return request<ReportList>({ path: `/api/reports${q ? `?q=${encodeURIComponent(q)}` : ''}` });
}

export function getReport(reportId: string): Promise<ReportDetail> {
  return request<ReportDetail>({ path: `/api/reports/${encodeURIComponent(reportId)}` });
}

export function widgetData(
  reportId: string,
  widgetId: string,
  filters: FilterState,
  sort?: { key: string; dir: 'asc' | 'desc' }[],
  paging?: { page: number; pageSize: number },
  interaction: Interaction = {},
): Promise<WidgetData> {
  const body = { filters, ...(sort ? { sort } : {}), ...(paging ?? {}), ...interactionBody(interaction) };
  return new Promise((resolve, reject) => {
    let queue = waiting[reportId];
    if (!queue) {
      queue = waiting[reportId] = [];
      // After the calls made in this pass (a page starts all its cards' loads in one go).
      void Promise.resolve().then(() => flush(reportId));
    }
    queue.push({ widgetId, body, resolve, reject });
  });
}

/**
 * Widget loads of one report started together (opening, a filter change, a pull-down) go out as
 * one report data call: WeChat lets a mini program have only 10 requests in flight, and the
 * server checks access and reads the report once. A lone load (more table rows) keeps its own call.
 */
interface Waiting {
  widgetId: string;
  body: Record<string, unknown>;
  resolve: (d: WidgetData) => void;
  reject: (e: unknown) => void;
}
const waiting: Record<string, Waiting[] | undefined> = {};
/** The server's limit per call. */
const MAX_PER_CALL = 30;

function flush(reportId: string): void {
  const queue = waiting[reportId] ?? [];
  delete waiting[reportId];
  for (let i = 0; i < queue.length; i += MAX_PER_CALL) void send(reportId, queue.slice(i, i + MAX_PER_CALL));
}

async function send(reportId: string, group: Waiting[]): Promise<void> {
  if (group.length === 1) {
    const one = group[0]!;
    const path = `/api/reports/${encodeURIComponent(reportId)}/widgets/${encodeURIComponent(one.widgetId)}/data`;
    request<WidgetData>({ method: 'POST', path, data: one.body }).then(one.resolve, one.reject);
    return;
  }
  try {
    const res = await request<ReportData>({ method: 'POST', path: `/api/reports/${encodeURIComponent(reportId)}/data`, data: { widgets: group.map(({ widgetId, body }) => ({ widgetId, body })) } });
    group.forEach((w, i) => {
      const item = res.widgets[i];
      if (item && 'data' in item) w.resolve(item.data);
      else w.reject(item ? new ApiError(item.error.code, item.error.message, item.error.status) : new ApiError('unreachable', t('unreachable')));
    });
  } catch (err) {
    for (const w of group) w.reject(err);
  }
}

/** Linkage from taps on other widgets and this widget's drill-down path (empty parts left out). */
export interface Interaction {
  selection?: SelectionItem[];
  drill?: DrillPath;
}
function interactionBody(i: Interaction): Interaction {
  return { ...(i.selection?.length ? { selection: i.selection } : {}), ...(i.drill?.length ? { drill: i.drill } : {}) };
}

/** The detail rows behind one category of a chart (its raw first-dimension value), one page. */
export function drillRows(
  reportId: string,
  widgetId: string,
  value: string | number | boolean | null,
  filters: FilterState,
  paging: { page: number; pageSize: number },
  interaction: Interaction = {},
): Promise<QueryResult> {
  return request<QueryResult>({
    method: 'POST',
    path: `/api/reports/${encodeURIComponent(reportId)}/widgets/${encodeURIComponent(widgetId)}/drill`,
    data: { filters, value, ...paging, ...interactionBody(interaction) },
  });
}

export function filterValues(reportId: string, filterId: string): Promise<FilterValues> {
  return request<FilterValues>({ path: `/api/reports/${encodeURIComponent(reportId)}/filters/${encodeURIComponent(filterId)}/values` });
}
