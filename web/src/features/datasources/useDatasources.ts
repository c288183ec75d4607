import type {
  CreateDatasourceBody,
  DatasourceView,
  EmbeddedTableView,
  ImportAllSheetsBody,
  ImportAllSheetsResult,
  ImportUploadBody,
  ImportUploadResult,
  SourceTable,
  TestConnectionResult,
  UpdateDatasourceBody,
  UploadImportProgress,
  UploadPreview,
} from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, uploadWithProgress, type TransferProgress } from '../../api/apiClient';
import { newProgressId, transferStatus, type UploadStatus } from './uploadStatus';

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

/**
 * How far the server's pass over an upload has got (preview or import), polled while `enabled`.
 * `key` is the upload id, or the progress id sent with a file whose preview is still running.
 */
export function useImportProgress(key: string, enabled: boolean) {
  return useQuery({
    queryKey: ['uploads', key, 'progress'],
    queryFn: () => api.get<UploadImportProgress>(`/uploads/${key}/progress`),
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

/**
 * Sends a file for its preview; `progress` says what is happening while it is pending: the bytes
 * going out (上传中), then the server reading the file (分析中), polled by a progress id sent with it.
 */
export function useUpload() {
  const [transfer, setTransfer] = useState<TransferProgress | null>(null);
  const [progressId, setProgressId] = useState('');
  const mutation = useMutation({
    mutationFn: (file: File) => {
      const id = newProgressId();
      setProgressId(id);
      setTransfer({ sent: 0, total: file.size, done: false });
      const form = new FormData();
      form.append('file', file, file.name);
      return uploadWithProgress<UploadPreview>('/uploads', form, setTransfer, { progressId: id });
    },
  });
  const analysis = useImportProgress(progressId, mutation.isPending && !!transfer?.done);
  const progress: UploadStatus | null = mutation.isPending ? transferStatus(transfer, analysis.data) : null;
  return { ...mutation, progress };
}

/** Imports every worksheet of an uploaded workbook, each as its own dataset. */
export function useImportAllSheets() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ uploadId, ...body }: { uploadId: string } & ImportAllSheetsBody) =>
      api.post<ImportAllSheetsResult>(`/uploads/${uploadId}/import-sheets`, body),
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['datasets'] });
      void qc.invalidateQueries({ queryKey: ['datasources'] });
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
