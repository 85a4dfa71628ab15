import { QueryClient } from '@tanstack/react-query';
import { isApiProblem } from '@quan/web-api';

const MAX_QUERY_RETRIES = 2;

/**
 * React Query with Quan's rules: a read is retried (twice, with growing, jittered delays) only when no
 * answer came or the api was unavailable, never on a 4xx, which would answer the same again; writes are
 * never retried here (a claim retries itself under its Idempotency-Key). No refetch on window focus:
 * a million phones coming back to the page must not become a burst of requests.
 */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) => isApiProblem(error) && error.retryable && failures < MAX_QUERY_RETRIES,
        retryDelay: (attempt) => Math.min(1000 * 2 ** attempt, 8000) + Math.random() * 1000,
        refetchOnWindowFocus: false,
        staleTime: 10_000,
      },
      mutations: { retry: false },
    },
  });
}
