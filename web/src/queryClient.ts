import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './api/apiClient';

export const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      // 4xx answers are final (no permission, bad filter); only retry network and 5xx failures once.
      retry: (count, err) => count < 1 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
      refetchOnWindowFocus: false,
      staleTime: 30_000,
    },
  },
});
