import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/apiClient';
import type { AuditPage } from '@shulan/shared';

export interface AuditParams {
  limit: number;
  offset: number;
  action?: string;
}

export function useAudit(params: AuditParams) {
  return useQuery({
    queryKey: ['audit', params],
    queryFn: () => api.get<AuditPage>('/audit', { ...params }),
    placeholderData: keepPreviousData,
  });
}
