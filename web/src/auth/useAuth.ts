import type { LoginMethods, LoginResult, SessionUser } from '@shulan/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api } from '../api/apiClient';

export const ME_KEY = ['auth', 'me'] as const;

/** The logged-in user, or null when there is no session (401 is not an error here). */
export function useMe() {
  return useQuery({
    queryKey: ME_KEY,
    queryFn: async (): Promise<SessionUser | null> => {
      try {
        return await api.get<SessionUser>('/auth/me');
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) return null;
        throw err;
      }
    },
    staleTime: 5 * 60_000,
  });
}

/** The login methods configured besides the password (the login page shows only those). */
export function useLoginMethods() {
  return useQuery({ queryKey: ['auth', 'methods'], queryFn: () => api.get<LoginMethods>('/auth/methods'), staleTime: 60_000 });
}

export function useLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<LoginResult>('/auth/login', { ...body, mode: 'cookie' }),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(ME_KEY, res.user);
    },
  });
}

/** LDAP account login (the directory checks the password); a session cookie like the password login. */
export function useLdapLogin() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (body: { username: string; password: string }) => api.post<Pick<LoginResult, 'user' | 'expiresAt'>>('/auth/ldap/login', body),
    onSuccess: (res) => {
      qc.clear();
      qc.setQueryData(ME_KEY, res.user);
    },
  });
}

export function useLogout(everywhere: boolean) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<unknown>(everywhere ? '/auth/logout-all' : '/auth/logout'),
    onSettled: () => {
      qc.clear();
      qc.setQueryData(ME_KEY, null);
    },
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<unknown>('/auth/password', body),
  });
}

export const canEdit = (user: SessionUser | null | undefined) => user?.role === 'admin' || user?.role === 'editor';
export const isAdmin = (user: SessionUser | null | undefined) => user?.role === 'admin';
