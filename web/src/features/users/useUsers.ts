import type {
  CreateUserBody,
  GroupMemberView,
  GroupView,
  ImportReport,
  PersonnelPage,
  PersonnelQuery,
  UpdateGroupBody,
  UpdateUserBody,
  UserOption,
  UserView,
} from '@shulan/shared';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../api/apiClient';

type PersonnelParams = Partial<PersonnelQuery>;

/** One page of people for the admin lists (users page and 人员信息). */
export function usePersonnel(params: PersonnelParams) {
  return useQuery({
    queryKey: ['personnel', params],
    queryFn: () => api.get<PersonnelPage>('/personnel', params),
    placeholderData: keepPreviousData,
  });
}

/** Small id/name list for pickers (grants, group members); searches on the server. */
export function useUserOptions(q: string) {
  return useQuery({
    queryKey: ['users', 'options', q],
    queryFn: () => api.get<UserOption[]>('/users/options', { q }),
    placeholderData: keepPreviousData,
  });
}

export function useCreateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: CreateUserBody) => api.post<UserView>('/users', body),
    onSuccess: () => invalidatePeople(qc),
  });
}

export function useUpdateUser() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ userId, ...body }: UpdateUserBody & { userId: string }) => api.patch<UserView>(`/users/${userId}`, body),
    onSuccess: () => invalidatePeople(qc),
  });
}

export function useImportUsers() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const form = new FormData();
      form.append('dryRun', String(dryRun));
      form.append('file', file, file.name);
      return api.upload<ImportReport>('/users/import', form);
    },
    onSuccess: (res) => {
      if (!res.dryRun) invalidatePeople(qc);
    },
  });
}

export function useGroups() {
  return useQuery({
    queryKey: ['groups'],
    queryFn: () => api.get<GroupView[]>('/groups'),
  });
}

export function useSaveGroup(groupId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: UpdateGroupBody & { name: string }) =>
      groupId ? api.patch<GroupView>(`/groups/${groupId}`, body) : api.post<GroupView>('/groups', body),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['groups'] }),
  });
}

export function useDeleteGroup() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (groupId: string) => api.delete<unknown>(`/groups/${groupId}`),
    onSuccess: () => invalidatePeople(qc),
  });
}

export function useGroupMembers(groupId: string | undefined) {
  return useQuery({
    queryKey: ['groups', groupId, 'members'],
    queryFn: () => api.get<GroupMemberView[]>(`/groups/${groupId}/members`),
    enabled: !!groupId,
  });
}

export function useSaveGroupMembers(groupId: string | undefined) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (userIds: string[]) => api.put<unknown>(`/groups/${groupId}/members`, { userIds }),
    onSuccess: () => invalidatePeople(qc),
  });
}

function invalidatePeople(qc: ReturnType<typeof useQueryClient>) {
  void qc.invalidateQueries({ queryKey: ['personnel'] });
  void qc.invalidateQueries({ queryKey: ['users'] });
  void qc.invalidateQueries({ queryKey: ['groups'] });
}
