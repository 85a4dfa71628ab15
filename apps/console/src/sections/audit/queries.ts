import { useQuery } from '@tanstack/react-query';
import { ok, type components, type operations } from '@quan/web-api';
import { api } from '../../runtime';

export type AuditEntry = components['schemas']['AuditEntryDto'];
export type AuditQuery = NonNullable<operations['AuditController_list']['parameters']['query']>;

export function useAuditLog(query: AuditQuery) {
  return useQuery({ queryKey: ['audit-log', query], queryFn: () => ok(api.GET('/api/v1/audit-log', { params: { query } })) });
}

export function useAuditChain() {
  return useQuery({ queryKey: ['audit-chain'], queryFn: () => ok(api.GET('/api/v1/audit-log/head')) });
}

/** Accounts to pick an actor from (the audit readers may list them all). */
export function useActors() {
  return useQuery({ queryKey: ['staff-accounts', 'actors'], queryFn: () => ok(api.GET('/api/v1/staff-accounts', { params: { query: { limit: 200 } } })), staleTime: 60_000 });
}

const DAY_MS = 86_400_000;

/** The start of a business day (Asia/Shanghai, no daylight saving) as an instant with its offset, e.g. "2026-12-07T00:00:00+08:00". */
export function dayStart(day: string): string {
  return `${day}T00:00:00+08:00`;
}

/** The start of the day after `day`: the exclusive end of a range that includes `day`. */
export function dayAfterStart(day: string): string {
  return dayStart(new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10));
}
