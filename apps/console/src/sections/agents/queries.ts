import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createApiClient, ok, type ApiClient, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type AssistedResident = components['schemas']['AssistedResidentDto'];
export type NewAssistedResident = components['schemas']['NewAssistedResidentDto'];
export type AssistedQuery = NonNullable<operations['AssistedResidentsController_list']['parameters']['query']>;
export type ActingSession = components['schemas']['ActingSessionDto'];
export type Voucher = components['schemas']['VoucherDto'];
export type VoucherDetail = components['schemas']['VoucherDetailDto'];
export type OpenRound = components['schemas']['OpenRoundDto'];

export function useAssistedResidents(query: AssistedQuery) {
  return useQuery({
    queryKey: ['assisted-residents', query],
    queryFn: () => ok(api.GET('/api/v1/assisted-residents', { params: { query } })),
  });
}

export function useAssistedResident(id: string) {
  return useQuery({
    queryKey: ['assisted-residents', id],
    queryFn: () => ok(api.GET('/api/v1/assisted-residents/{id}', { params: { path: { id } } })),
  });
}

export function useRegisterResident() {
  const queries = useQueryClient();
  return useMutation({
    mutationFn: (body: NewAssistedResident) => ok(api.POST('/api/v1/assisted-residents', { body })),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['assisted-residents'] }),
  });
}

export function useCreateAgent() {
  return useMutation({
    mutationFn: (body: components['schemas']['NewStaffAccountDto']) => ok(api.POST('/api/v1/staff-accounts', { body })),
  });
}

/** An acting session for the resident, opened by the agent (it counts against the agent's daily quota). */
export function openActingSession(residentId: string): Promise<ActingSession> {
  return ok(api.POST('/api/v1/assisted-residents/{id}/sessions', { params: { path: { id: residentId } } }));
}

/**
 * An api client that calls as the resident, with the acting-for token: the resident endpoints serve it on the
 * resident's identity. There is no refresh: a lapsed session is opened again.
 */
export function actingClient(session: ActingSession): ApiClient {
  return createApiClient({ tokens: { accessToken: () => session.accessToken, refresh: async () => false } });
}

export function useOpenRounds() {
  return useQuery({
    queryKey: ['rounds', 'open'],
    queryFn: () => ok(api.GET('/api/v1/rounds')),
  });
}
