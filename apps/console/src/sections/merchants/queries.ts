import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type Merchant = components['schemas']['MerchantDto'];
export type MerchantStatus = components['schemas']['MerchantStatus'];
export type MerchantQuery = NonNullable<operations['MerchantsController_list']['parameters']['query']>;
export type Review = 'approve' | 'reject' | 'suspend' | 'reinstate';

export function useMerchants(query: MerchantQuery) {
  return useQuery({
    queryKey: ['merchants', query],
    queryFn: () => ok(api.GET('/api/v1/merchants', { params: { query } })),
  });
}

export function useMerchant(id: string) {
  return useQuery({
    queryKey: ['merchant', id],
    queryFn: () => ok(api.GET('/api/v1/merchants/{id}', { params: { path: { id } } })),
  });
}

/** One of the four review actions; the list and the merchant are read again after it. */
export function useReview() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, action, reason }: { id: string; action: Review; reason?: string }) => {
      const path = { path: { id } };
      if (action === 'approve') return ok(api.POST('/api/v1/merchants/{id}/approve', { params: path }));
      if (action === 'reinstate') return ok(api.POST('/api/v1/merchants/{id}/reinstate', { params: path }));
      const body = { reason: reason ?? '' };
      if (action === 'reject') return ok(api.POST('/api/v1/merchants/{id}/reject', { params: path, body }));
      return ok(api.POST('/api/v1/merchants/{id}/suspend', { params: path, body }));
    },
    onSuccess: (merchant) => {
      queries.setQueryData(['merchant', merchant.id], merchant);
      return queries.invalidateQueries({ queryKey: ['merchants'] });
    },
  });
}

/** A merchant's redemptions of one business day, as the audit trail keeps them. */
export function useMerchantRedemptions(merchantId: string, businessDay: string) {
  return useQuery({
    queryKey: ['merchant-redemptions', merchantId, businessDay],
    queryFn: () =>
      ok(api.GET('/api/v1/audit-log/redemptions', { params: { query: { merchantId, businessDay, limit: 200 } } })),
  });
}

export function useMerchantStatements(merchantId: string) {
  return useQuery({
    queryKey: ['statements', { merchantId }],
    queryFn: () => ok(api.GET('/api/v1/settlement/statements', { params: { query: { merchantId, limit: 200 } } })),
  });
}
