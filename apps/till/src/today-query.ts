import { useQuery } from '@tanstack/react-query';
import { ok } from '@quan/web-api';
import { api } from './runtime';

/** Today's redemptions at this merchant (business day Asia/Shanghai, newest first) with the day's totals. */
export function useToday() {
  return useQuery({ queryKey: ['today'], queryFn: () => ok(api.GET('/api/v1/merchant/redemptions', {})) });
}
