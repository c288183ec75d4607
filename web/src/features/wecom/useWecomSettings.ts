import type { VerificationFileView, WecomSettingsBody, WecomSettingsView, WecomTestBody, WecomTestResult } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

const SETTINGS_KEY = ['wecom', 'settings'] as const;
const FILES_KEY = ['wecom', 'verification-files'] as const;

/** 企业微信集成设置 as stored; the Secret only as "set" plus its last 4 characters. */
export function useWecomSettings() {
  return useQuery({ queryKey: SETTINGS_KEY, queryFn: () => api.get<WecomSettingsView>('/settings/wecom') });
}

export function useSaveWecomSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WecomSettingsBody) => api.put<WecomSettingsView>('/settings/wecom', body),
    onSuccess: (view) => {
      qc.setQueryData(SETTINGS_KEY, view);
      // The sync schedule is only active with the integration on.
      void qc.invalidateQueries({ queryKey: ['wecom', 'sync'] });
    },
  });
}

/** Test connection; values typed in the form win over the saved ones. */
export function useTestWecomConnection() {
  return useMutation({ mutationFn: (body: WecomTestBody) => api.post<WecomTestResult>('/settings/wecom/test', body) });
}

export function useVerificationFiles() {
  return useQuery({ queryKey: FILES_KEY, queryFn: () => api.get<VerificationFileView[]>('/settings/wecom/verification-files') });
}

export function useUploadVerificationFile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => {
      const form = new FormData();
      form.append('file', file, file.name);
      return api.upload<VerificationFileView>('/settings/wecom/verification-files', form);
    },
    onSuccess: () => void qc.invalidateQueries({ queryKey: FILES_KEY }),
  });
}

export function useDeleteVerificationFile() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (name: string) => api.delete<{ ok: true }>(`/settings/wecom/verification-files/${encodeURIComponent(name)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: FILES_KEY }),
  });
}
