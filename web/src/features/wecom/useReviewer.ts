import type { ReviewerCredentials, ReviewerRemoved, ReviewerStatus } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

export const REVIEWER_KEY = ['wecom', 'reviewer'] as const;

/** The reviewer account for WeChat's review, if any (never its password). */
export function useReviewer() {
  return useQuery({ queryKey: REVIEWER_KEY, queryFn: () => api.get<ReviewerStatus>('/settings/reviewer') });
}

function useReviewerMutation<T, V>(fn: (v: V) => Promise<T>) {
  const qc = useQueryClient();
  return useMutation({ mutationFn: fn, onSettled: () => void qc.invalidateQueries({ queryKey: REVIEWER_KEY }) });
}

export const useCreateReviewer = () => useReviewerMutation(() => api.post<ReviewerCredentials>('/settings/reviewer', { confirm: true }));

export const useResetReviewerPassword = () =>
  useReviewerMutation((username: string) => api.post<ReviewerCredentials>(`/settings/reviewer/${encodeURIComponent(username)}/reset-password`));

export const useRemoveReviewer = () => useReviewerMutation((username: string) => api.delete<ReviewerRemoved>(`/settings/reviewer/${encodeURIComponent(username)}`));
