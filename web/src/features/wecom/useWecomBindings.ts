import type { WecomBindingView, WecomMemberPage } from '@shulan/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

/** 手动匹配: match one user with a WeCom member by userid. */
export function useManualMatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, wecomUserid }: { userId: string; wecomUserid: string }) =>
      api.put<WecomBindingView>(`/wecom/bindings/${encodeURIComponent(userId)}`, { wecomUserid }),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['personnel'] }),
  });
}

/** 解除匹配: the user's WeCom sessions end at once on the server. */
export function useUnmatch() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.delete<{ ok: true; sessionsEnded: number }>(`/wecom/bindings/${encodeURIComponent(userId)}`),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['personnel'] }),
  });
}

/** 手动匹配 dialog: the synced WeCom directory searched on the server, one page at a time. */
export function useMemberSearch(q: string, offset: number, limit = 8) {
  return useQuery({
    queryKey: ['wecom-members', q, offset, limit],
    queryFn: () => api.get<WecomMemberPage>('/wecom/members', { q, offset, limit }),
    placeholderData: keepPreviousData,
  });
}
