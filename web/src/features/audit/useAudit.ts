import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '../../api/apiClient';
import type { AuditPage } from '@shulan/shared';

export interface AuditParams {
  limit: number;
  offset: number;
  /** An action or the start of one ("user."). */
  action?: string;
  /** Start of the actor's username or name. */
  actor?: string;
}

export function useAudit(params: AuditParams) {
  return useQuery({
    queryKey: ['audit', params],
    queryFn: () => api.get<AuditPage>('/audit', { ...params }),
    placeholderData: keepPreviousData,
  });
}
