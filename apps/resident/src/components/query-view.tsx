import type { ReactNode } from 'react';
import type { UseQueryResult } from '@tanstack/react-query';
import { Loading } from '@quan/web-ui';
import { RetryState } from './retry-state';

/** A query's three faces: loading, failed with nothing to show (with a retry), or its data. */
export function QueryView<T>({ query, children }: { query: UseQueryResult<T>; children: (data: T) => ReactNode }) {
  if (query.isPending) return <Loading />;
  // A failed poll keeps what was shown (a countdown must not vanish at the opening): only no data at all is a retry state.
  if (query.data === undefined) return <RetryState error={query.error} onRetry={() => void query.refetch()} />;
  return <>{children(query.data)}</>;
}
