import type { FilterValues, QueryResult, ReportDetail, ReportList, SelectionItem, WidgetData } from '@shulan/shared';
import type { DrillPath } from '@shulan/shared/interaction';
import type { FilterState } from '../utils/filters';
import { request } from './request';



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
  return request<WidgetData>({
    method: 'POST',
    path: `/api/reports/${encodeURIComponent(reportId)}/widgets/${encodeURIComponent(widgetId)}/data`,
    data: { filters, ...(sort ? { sort } : {}), ...(paging ?? {}), ...interactionBody(interaction) },
  });
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
