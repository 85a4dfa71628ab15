import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type Statement = components['schemas']['StatementDto'];
export type StatementQuery = NonNullable<operations['SettlementController_list']['parameters']['query']>;
export type PayoutBatch = components['schemas']['PayoutBatchDto'];
export type PayoutBatchItem = components['schemas']['PayoutBatchListItemDto'];
export type Transfer = components['schemas']['PayoutTransferDto'];
export type Run = components['schemas']['RunDto'];
export type Difference = components['schemas']['ReconciliationDifferenceDto'];

/** How often a run asked for here is polled until it ends. */
const RUN_POLL_MS = 1000;

export function useStatements(query: StatementQuery) {
  return useQuery({
    queryKey: ['statements', query],
    queryFn: () => ok(api.GET('/api/v1/settlement/statements', { params: { query } })),
  });
}

export function useStatement(id: string) {
  return useQuery({
    queryKey: ['statement', id],
    queryFn: () => ok(api.GET('/api/v1/settlement/statements/{id}', { params: { path: { id } } })),
  });
}

/** Maker (submit) and checker (approve); statements are read again after either. */
export function useStatementStep() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, step }: { id: string; step: 'submit' | 'approve' }) =>
      step === 'submit'
        ? ok(api.POST('/api/v1/settlement/statements/{id}/submit', { params: { path: { id } } }))
        : ok(api.POST('/api/v1/settlement/statements/{id}/approve', { params: { path: { id } } })),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['statements'] }),
        queries.invalidateQueries({ queryKey: ['statement'] }),
      ]),
  });
}

export function usePayoutBatches(offset: number, limit: number) {
  return useQuery({
    queryKey: ['payout-batches', offset, limit],
    queryFn: () => ok(api.GET('/api/v1/settlement/payout-batches', { params: { query: { offset, limit } } })),
  });
}

export function usePayoutBatch(id: string) {
  return useQuery({
    queryKey: ['payout-batch', id],
    queryFn: () => ok(api.GET('/api/v1/settlement/payout-batches/{id}', { params: { path: { id } } })),
  });
}

export function useCreateBatch() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (throughDay: string | undefined) =>
      ok(api.POST('/api/v1/settlement/payout-batches', { body: throughDay ? { throughDay } : {} })),
    onSuccess: () =>
      Promise.all([
        queries.invalidateQueries({ queryKey: ['payout-batches'] }),
        queries.invalidateQueries({ queryKey: ['statements'] }),
      ]),
  });
}

export function useMarkTransfer(batchId: string) {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ transferId, status }: { transferId: string; status: 'paid' | 'failed' }) =>
      ok(
        api.POST('/api/v1/settlement/payout-batches/{id}/transfers/{transferId}/outcome', {
          params: { path: { id: batchId, transferId } },
          body: { status },
        }),
      ),
    onSuccess: (batch) => {
      queries.setQueryData(['payout-batch', batchId], batch);
      return queries.invalidateQueries({ queryKey: ['payout-batches'] });
    },
  });
}

/** The payout file exactly as the api answers it (bytes, not re-encoded), with the session's token. */
export async function payoutCsv(batchId: string): Promise<Blob> {
  return ok(
    api.GET('/api/v1/settlement/payout-batches/{id}/csv', { params: { path: { id: batchId } }, parseAs: 'blob' }),
  );
}

/** Saves a blob under `name` through a temporary link, as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function useReconciliation() {
  return useQuery({
    queryKey: ['reconciliation'],
    queryFn: () => ok(api.GET('/api/v1/admin/reconciliation')),
    retry: false,
  });
}

/** A run asked for now (reconciliation, or settling a past day again), then polled until it ends. */
export function useRequestRun() {
  return useMutation({
    mutationFn: (body: components['schemas']['NewRunDto']) => ok(api.POST('/api/v1/settlement/runs', { body })),
  });
}

export function useRun(id: string | undefined) {
  const queries = useQueryClient();
  return useQuery({
    queryKey: ['run', id],
    queryFn: async () => {
      const run = await ok(api.GET('/api/v1/settlement/runs/{id}', { params: { path: { id: id ?? '' } } }));
      if (run.status === 'succeeded') {
        await Promise.all([
          queries.invalidateQueries({ queryKey: ['reconciliation'] }),
          queries.invalidateQueries({ queryKey: ['statements'] }),
        ]);
      }
      return run;
    },
    enabled: id !== undefined,
    refetchInterval: (query) =>
      query.state.data && ['succeeded', 'failed'].includes(query.state.data.status) ? false : RUN_POLL_MS,
  });
}
