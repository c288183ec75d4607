import type { SessionUser } from '@shulan/shared';
import { useMutation, useQuery } from '@tanstack/react-query';
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

/** Ends the session; the caller then leaves for the login page with a page load (goToLogin), which drops every cached answer. */
export function useLogout(everywhere: boolean) {
  return useMutation({
    mutationFn: () => api.post<unknown>(everywhere ? '/auth/logout-all' : '/auth/logout'),
  });
}

export function useChangePassword() {
  return useMutation({
    mutationFn: (body: { currentPassword: string; newPassword: string }) => api.post<unknown>('/auth/password', body),
  });
}

export const canEdit = (user: SessionUser | null | undefined) => user?.role === 'admin' || user?.role === 'editor';
export const isAdmin = (user: SessionUser | null | undefined) => user?.role === 'admin';
