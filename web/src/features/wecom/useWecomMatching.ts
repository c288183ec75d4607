import type { WecomMatchBy, WecomMatchConfirmBody, WecomMatchConfirmResult, WecomMatchPreview } from '@shulan/shared';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

/** Dry run: nothing is written. */
export function useMatchPreview() {
  return useMutation({ mutationFn: (by: WecomMatchBy) => api.post<WecomMatchPreview>('/wecom/matching/preview', { by }) });
}

export function useMatchConfirm() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: WecomMatchConfirmBody) => api.post<WecomMatchConfirmResult>('/wecom/matching/confirm', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['personnel'] }),
  });
}
