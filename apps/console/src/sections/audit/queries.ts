import { useQuery } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type AuditEntry = components['schemas']['AuditEntryDto'];
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;

export function useAuditLog(query: AuditQuery) {
  return useQuery({
    queryKey: ['audit-log', query],
    queryFn: () => ok(api.GET('/api/v1/audit-log', { params: { query } })),
  });
}

export function useAuditChain() {
  return useQuery({ queryKey: ['audit-chain'], queryFn: () => ok(api.GET('/api/v1/audit-log/head')) });
}

/** Accounts to pick an actor from (the audit readers may list them all). */
export function useActors() {
  return useQuery({
    queryKey: ['staff-accounts', 'actors'],
    queryFn: () => ok(api.GET('/api/v1/staff-accounts', { params: { query: { limit: 200 } } })),
    staleTime: 60_000,
  });
}
