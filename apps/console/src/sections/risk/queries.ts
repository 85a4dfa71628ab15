import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type Flag = components['schemas']['RiskFlagDto'];
export type FlagDetail = components['schemas']['RiskFlagDetailDto'];
export type FlagQuery = NonNullable<operations['RiskController_list']['parameters']['query']>;

export function useFlags(query: FlagQuery) {
  return useQuery({
    queryKey: ['risk-flags', query],
    queryFn: () => ok(api.GET('/api/v1/risk/flags', { params: { query } })),
  });
}

export function useFlag(id: string) {
  return useQuery({
    queryKey: ['risk-flag', id],
    queryFn: () => ok(api.GET('/api/v1/risk/flags/{id}', { params: { path: { id } } })),
  });
}

export function useMerchantRisk(merchantId: string | null) {
  return useQuery({
    queryKey: ['risk-merchant', merchantId],
    enabled: merchantId !== null,
    queryFn: () => ok(api.GET('/api/v1/risk/merchants/{id}', { params: { path: { id: merchantId! } } })),
  });
}

/** Propose clearing (maker), clear (checker) or confirm; flags and summaries are read again after any. */
export function useFlagStep() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({
      id,
      step,
      reason,
      suspendMerchant,
    }: {
      id: string;
      step: 'propose-clear' | 'clear' | 'confirm';
      reason: string;
      suspendMerchant?: boolean;
    }) => {
      const params = { path: { id } };
      if (step === 'confirm')
        return ok(api.POST('/api/v1/risk/flags/{id}/confirm', { params, body: { reason, suspendMerchant } }));
      if (step === 'clear') return ok(api.POST('/api/v1/risk/flags/{id}/clear', { params, body: { reason } }));
      return ok(api.POST('/api/v1/risk/flags/{id}/propose-clear', { params, body: { reason } }));
    },
    onSuccess: () =>
      Promise.all(
        ['risk-flags', 'risk-flag', 'risk-merchant'].map((key) => queries.invalidateQueries({ queryKey: [key] })),
      ),
  });
}
