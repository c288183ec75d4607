import type { SubscriptionBodyInput, SubscriptionSendView, SubscriptionView } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/apiClient';

const key = (reportId: string) => ['reports', reportId, 'subscriptions'];

export function useSubscriptions(reportId: string) {
  return useQuery({ queryKey: key(reportId), queryFn: () => api.get<SubscriptionView[]>(`/reports/${reportId}/subscriptions`) });
}

export function useSubscriptionSends(reportId: string, subscriptionId: string | null) {
  return useQuery({
    queryKey: [...key(reportId), subscriptionId, 'sends'],
    queryFn: () => api.get<SubscriptionSendView[]>(`/reports/${reportId}/subscriptions/${subscriptionId}/sends`),
    enabled: !!subscriptionId,
  });
}

export function useWecomDepartments() {
  return useQuery({
    queryKey: ['wecom', 'subscription-departments'],
    queryFn: () => api.get<{ id: number; name: string; parentId: number | null }[]>('/wecom/subscription-departments'),
  });
}

export function useSaveSubscription(reportId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string | null; body: SubscriptionBodyInput }) =>
      id ? api.put<SubscriptionView>(`/reports/${reportId}/subscriptions/${id}`, body) : api.post<SubscriptionView>(`/reports/${reportId}/subscriptions`, body),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(reportId) }),
  });
}

export function useDeleteSubscription(reportId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/reports/${reportId}/subscriptions/${id}`),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(reportId) }),
  });
}

export function useSendNow(reportId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<SubscriptionSendView>(`/reports/${reportId}/subscriptions/${id}/send`),
    onSuccess: () => qc.invalidateQueries({ queryKey: key(reportId) }),
  });
}
