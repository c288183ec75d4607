import type { FavoriteState, FilterValues, QueryResult, QuerySpecInput, ReportDetail, ReportGrants, ReportList, WidgetData, WidgetDataBody } from '@shulan/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';
import { loadWidgetData } from './widgetBatch';
import type { FilterValue, ReportInput } from '../../api/types';

export function useReports() {
  return useQuery({ queryKey: ['reports'], queryFn: () => api.get<ReportList>('/reports', { limit: 500 }).then((r) => r.items) });
}

export function useReport(reportId: string | undefined) {
  return useQuery({
    queryKey: ['reports', reportId],
    queryFn: () => api.get<ReportDetail>(`/reports/${reportId}`),
    enabled: !!reportId,
  });
}

/** Creates when there is no id yet, else replaces the whole report. */
export function useSaveReport(reportId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: ReportInput) =>
      reportId ? api.put<ReportDetail>(`/reports/${reportId}`, body) : api.post<ReportDetail>('/reports', body),
    onSuccess: (saved) => {
      // Widget data depends on the definition: drop every cached result of this report.
      void qc.invalidateQueries({ queryKey: ['reports'] });
      qc.setQueryData(['reports', saved.id], saved);
    },
  });
}

export function useDeleteReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (reportId: string) => api.delete<unknown>(`/reports/${reportId}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** Copies a report (definition, not grants) under a new name; the copy starts visible to editors only. */
export function useCopyReport() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async ({ reportId, name }: { reportId: string; name: string }) => {
      const source = await api.get<ReportDetail>(`/reports/${reportId}`);
      return api.post<ReportDetail>('/reports', { name: name.slice(0, 100), description: source.description, definition: source.definition });
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['reports'] }),
  });
}

/** One widget's rows under the report's current filter values; keeps old rows while paging. */
export function useWidgetData(reportId: string, widgetId: string, body: WidgetDataBody) {
  return useQuery({
    queryKey: ['reports', reportId, 'widgets', widgetId, body],
    // Batched with the other widgets asking in the same render (widgetBatch.ts).
    queryFn: () => loadWidgetData(reportId, widgetId, body),
    placeholderData: keepPreviousData,
  });
}

/** Starred reports (the same list as the mini program's favorites tab). */
export function useFavorites() {
  return useQuery({ queryKey: ['favorites'], queryFn: () => api.get<ReportList>('/favorites').then((r) => r.items) });
}

/** Stars or unstars a report for the current user. */
export function useSetFavorite(reportId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (on: boolean) => (on ? api.put<FavoriteState>(`/reports/${reportId}/favorite`) : api.delete<FavoriteState>(`/reports/${reportId}/favorite`)),
    onSuccess: (state) => {
      qc.setQueryData<ReportDetail>(['reports', reportId], (r) => (r ? { ...r, favorite: state.favorite } : r));
      void qc.invalidateQueries({ queryKey: ['favorites'] });
    },
  });
}

export function useFilterValues(reportId: string, filterId: string, q: string, viewAs?: string) {
  return useQuery({
    queryKey: ['reports', reportId, 'filters', filterId, q, viewAs ?? null],
    queryFn: () => api.get<FilterValues>(`/reports/${reportId}/filters/${filterId}/values`, { q, viewAs }),
    staleTime: 5 * 60_000,
    placeholderData: keepPreviousData,
  });
}

/** Runs an unsaved widget query for the editor's live preview. */
export function usePreviewQuery(datasetId: string | undefined, query: QuerySpecInput, enabled: boolean) {
  return useQuery({
    queryKey: ['query-preview', datasetId, query],
    queryFn: () => api.post<QueryResult>('/query/preview', { datasetId, query }),
    enabled: enabled && !!datasetId,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useGrants(reportId: string | undefined) {
  return useQuery({
    queryKey: ['reports', reportId, 'grants'],
    queryFn: () => api.get<ReportGrants>(`/reports/${reportId}/grants`),
    enabled: !!reportId,
  });
}

export function useSaveGrants(reportId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (grants: ReportGrants) => api.put<ReportGrants>(`/reports/${reportId}/grants`, grants),
    onSuccess: (saved) => qc.setQueryData(['reports', reportId, 'grants'], saved),
  });
}

/** The CSV export of one widget, as a plain link: the browser downloads it with the session cookie. */
export function widgetExportUrl(
  reportId: string,
  widgetId: string,
  filters: Record<string, FilterValue>,
  sort?: { key: string; dir: 'asc' | 'desc' }[],
  interaction: Pick<WidgetDataBody, 'selection' | 'drill'> = {},
  /** Cells as the report shows them (the widget's formats) instead of raw numbers. */
  formatted?: boolean,
  viewAs?: string,
): string {
  const qs = new URLSearchParams();
  if (viewAs) qs.set('viewAs', viewAs);
  if (Object.keys(filters).length) qs.set('filters', JSON.stringify(filters));
  if (sort?.length) qs.set('sort', JSON.stringify(sort));
  if (formatted) qs.set('formatted', '1');
  if (interaction.selection?.length) qs.set('selection', JSON.stringify(interaction.selection));
  if (interaction.drill?.length) qs.set('drill', JSON.stringify(interaction.drill));
  const s = qs.toString();
  return `/api/reports/${reportId}/widgets/${widgetId}/export.csv${s ? `?${s}` : ''}`;
}
