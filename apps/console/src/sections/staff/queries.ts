import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type StaffAccount = components['schemas']['StaffAccountDto'];
export type StaffQuery = NonNullable<operations['StaffAccountsController_list']['parameters']['query']>;
export type NewStaffAccount = components['schemas']['NewStaffAccountDto'];
export type StaffChanges = components['schemas']['StaffAccountChangesDto'];

export function useStaffAccounts(query: StaffQuery) {
  return useQuery({
    queryKey: ['staff-accounts', query],
    queryFn: () => ok(api.GET('/api/v1/staff-accounts', { params: { query } })),
  });
}

export function useCreateStaff() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: NewStaffAccount) => ok(api.POST('/api/v1/staff-accounts', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['staff-accounts'] }),
  });
}

export function useChangeStaff() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: StaffChanges }) =>
      ok(api.PATCH('/api/v1/staff-accounts/{id}', { params: { path: { id } }, body: changes })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['staff-accounts'] }),
  });
}

/** Merchants whose name contains `name`, to bind a merchant admin or cashier to. */
export function useMerchantOptions(name: string) {
  return useQuery({
    queryKey: ['merchants', { name, limit: 20 }],
    queryFn: () => ok(api.GET('/api/v1/merchants', { params: { query: { name: name || undefined, limit: 20 } } })),
  });
}
