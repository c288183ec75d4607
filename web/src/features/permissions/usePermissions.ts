import type { Attributes, DatasetPermissions, DatasetPermissionsInput, UserAttributesView, ViewAsTicket } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

export function useDatasetPermissions(datasetId: string | undefined) {
  return useQuery({
    queryKey: ['datasets', datasetId, 'permissions'],
    queryFn: () => api.get<DatasetPermissions>(`/datasets/${datasetId}/permissions`),
    enabled: !!datasetId,
  });
}

export function useSaveDatasetPermissions(datasetId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: DatasetPermissionsInput) => api.put<DatasetPermissions>(`/datasets/${datasetId}/permissions`, body),
    onSuccess: (saved) => {
      qc.setQueryData(['datasets', datasetId, 'permissions'], saved);
      // Report data depends on the rules.
      void qc.invalidateQueries({ queryKey: ['reports'] });
    },
  });
}

export function useUserAttributes(userId: string | undefined) {
  return useQuery({
    queryKey: ['users', userId, 'attributes'],
    queryFn: () => api.get<UserAttributesView>(`/users/${userId}/attributes`),
    enabled: !!userId,
  });
}

export function useSaveUserAttributes(userId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (attributes: Attributes) => api.put<UserAttributesView>(`/users/${userId}/attributes`, { attributes }),
    onSuccess: (saved) => qc.setQueryData(['users', userId, 'attributes'], saved),
  });
}

export function useGroupAttributes(groupId: string | undefined) {
  return useQuery({
    queryKey: ['groups', groupId, 'attributes'],
    queryFn: () => api.get<{ attributes: Attributes }>(`/groups/${groupId}/attributes`),
    enabled: !!groupId,
  });
}

export function useSaveGroupAttributes(groupId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (attributes: Attributes) => api.put<{ attributes: Attributes }>(`/groups/${groupId}/attributes`, { attributes }),
    onSuccess: (saved) => qc.setQueryData(['groups', groupId, 'attributes'], saved),
  });
}

export function useViewAs(reportId: string) {
  return useMutation({ mutationFn: (userId: string) => api.post<ViewAsTicket>(`/reports/${reportId}/view-as`, { userId }) });
}
