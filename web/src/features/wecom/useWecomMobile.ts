import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

/** Mini program settings (GET/PUT /api/settings/mobile). */
export interface MobileSettings {
  watermark: boolean;
  /** Shown on the mini program's first page: "for employees of …". */
  orgName: string;
}

const KEY = ['settings', 'mobile'] as const;

export function useMobileSettings() {
  return useQuery({ queryKey: KEY, queryFn: () => api.get<MobileSettings>('/settings/mobile') });
}

export function useSaveMobileSettings() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: MobileSettings) => api.put<MobileSettings>('/settings/mobile', body),
    onSuccess: (s) => qc.setQueryData(KEY, s),
  });
}

/**
 * The code package is a file download, so it is a plain link (the session cookie authenticates it).
 * The domain is always baked in, so the package skips the domain page (WeChat review never sees it).
 */
export function miniprogramPackageUrl(domain: string): string {
  return `/api/settings/miniprogram/package?domain=${encodeURIComponent(domain.trim())}`;
}
