import { QueryClient } from '@tanstack/react-query';
import { ApiRequestError } from '../api/http.ts';

/**
 * Server-state cache for every page. A 4xx is an answer, not a glitch: it is never retried (a 403
 * stays a 403); network failures and 5xx are retried twice. Data counts as fresh for 30 s; live
 * events (web/src/live) invalidate call lists sooner.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (failures, error) =>
          !(error instanceof ApiRequestError && error.status >= 400 && error.status < 500) && failures < 2,
      },
      mutations: { retry: false },
    },
  });
}
