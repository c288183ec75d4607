import type { FilterValues, ReportDetail, ReportList, WidgetData } from '@shulan/shared';
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
): Promise<WidgetData> {
  return request<WidgetData>({
    method: 'POST',
    path: `/api/reports/${encodeURIComponent(reportId)}/widgets/${encodeURIComponent(widgetId)}/data`,
    data: sort ? { filters, sort } : { filters },
  });
}

export function filterValues(reportId: string, filterId: string): Promise<FilterValues> {
  return request<FilterValues>({ path: `/api/reports/${encodeURIComponent(reportId)}/filters/${encodeURIComponent(filterId)}/values` });
}
