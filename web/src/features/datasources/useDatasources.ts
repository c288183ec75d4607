import type {
  CreateDatasourceBody,
  DatasourceView,
  Field,
  ImportUploadResult,
  SourceTable,
  TestConnectionResult,
  UpdateDatasourceBody,
  UploadPreview,
} from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

export function useDatasources() {
  return useQuery({ queryKey: ['datasources'], queryFn: () => api.get<DatasourceView[]>('/datasources') });
}

export function useCreateDatasource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateDatasourceBody) => api.post<DatasourceView>('/datasources', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasources'] }),
  });
}

export function useUpdateDatasource(id: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateDatasourceBody) => api.put<DatasourceView>(`/datasources/${id}`, body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasources'] }),
  });
}

export function useDeleteDatasource() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<unknown>(`/datasources/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasources'] }),
  });
}

/**
 * Tests connection settings before saving. For a saved source the server fills in what is not
 * typed, including the stored password, so the password never has to travel back to the browser.
 */
export function useTestDatasource(id: string | undefined) {
  return useMutation({
    mutationFn: (body: Omit<CreateDatasourceBody, 'name'> | Omit<UpdateDatasourceBody, 'name'>) =>
      api.post<TestConnectionResult>(id ? `/datasources/${id}/test` : '/datasources/test', body),
  });
}

export function useDatasourceTables(id: string | undefined) {
  return useQuery({
    queryKey: ['datasources', id, 'tables'],
    queryFn: () => api.get<SourceTable[]>(`/datasources/${id}/tables`),
    enabled: !!id,
  });
}

export function useUpload() {
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<UploadPreview>('/uploads', form);
    },
  });
}

export function useImportUpload() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uploadId, ...body }: { uploadId: string; name: string; fields: Field[]; skipBadRows: boolean }) =>
      api.post<ImportUploadResult>(`/uploads/${uploadId}/import`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['datasets'] });
      void qc.invalidateQueries({ queryKey: ['datasources'] });
    },
  });
}
