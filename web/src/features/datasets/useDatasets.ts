import type { CreateDatasetBody, DatasetPreview, DatasetView } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

export function useDatasets() {
  return useQuery({ queryKey: ['datasets'], queryFn: () => api.get<DatasetView[]>('/datasets') });
}

export function useDataset(datasetId: string | undefined) {
  return useQuery({
    queryKey: ['datasets', datasetId],
    queryFn: () => api.get<DatasetView>(`/datasets/${datasetId}`),
    enabled: !!datasetId,
  });
}

export function useCreateDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDatasetBody) => api.post<DatasetView>('/datasets', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasets'] }),
  });
}

export function useDeleteDataset() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (datasetId: string) => api.delete<unknown>(`/datasets/${datasetId}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasets'] }),
  });
}

export function useDatasetPreview(datasetId: string | undefined) {
  return useQuery({
    queryKey: ['datasets', datasetId, 'preview'],
    queryFn: () => api.get<DatasetPreview>(`/datasets/${datasetId}/preview`, { limit: 100 }),
    enabled: !!datasetId,
  });
}
