import type {
  CreateDatasourceBody,
  DatasourceView,
  EmbeddedTableView,
  ImportUploadBody,
  ImportUploadResult,
  SourceTable,
  TestConnectionResult,
  UpdateDatasourceBody,
  UploadImportProgress,
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

/** Tables imported from uploads (for append / replace, and the 上传的数据 source). */
export function useEmbeddedTables() {
  return useQuery({ queryKey: ['datasources', 'embedded-tables'], queryFn: () => api.get<EmbeddedTableView[]>('/embedded-tables') });
}

/** Deletes an uploaded table no dataset uses (the server says which datasets still do). */
export function useDeleteEmbeddedTable() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete<{ deleted: boolean }>(`/embedded-tables/${id}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['datasources'] }),
  });
}

/** How far the import of an upload has got, polled while `enabled`. */
export function useImportProgress(uploadId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['uploads', uploadId, 'progress'],
    queryFn: () => api.get<UploadImportProgress>(`/uploads/${uploadId}/progress`),
    enabled,
    refetchInterval: enabled ? 500 : false,
  });
}

/** Preview another worksheet of an uploaded workbook (the import then reads that one). */
export function useUploadSheet() {
  return useMutation({
    mutationFn: ({ uploadId, sheet }: { uploadId: string; sheet: string }) => api.post<UploadPreview>(`/uploads/${uploadId}/sheet`, { sheet }),
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
    mutationFn: ({ uploadId, ...body }: { uploadId: string } & ImportUploadBody) =>
      api.post<ImportUploadResult>(`/uploads/${uploadId}/import`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['datasets'] });
      void qc.invalidateQueries({ queryKey: ['datasources'] });
    },
  });
}
