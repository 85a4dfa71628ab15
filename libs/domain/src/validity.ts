import { startOfBusinessDay } from './business-day';

export type ValidityRule =
  { kind: 'fixed_window'; validFrom: Date; validUntil: Date } | { kind: 'days_from_claim'; days: number };

/**
 * The validity window of a voucher claimed at `claimedAt`. "N days from claim" runs to the end of the
 * Nth business day (Asia/Shanghai) counting the claim day as day 1.
 */
export function voucherValidity(rule: ValidityRule, claimedAt: Date): { validFrom: Date; validUntil: Date } {
  if (rule.kind === 'fixed_window') return { validFrom: rule.validFrom, validUntil: rule.validUntil };
  const start = startOfBusinessDay(claimedAt);
  return { validFrom: claimedAt, validUntil: new Date(start.getTime() + rule.days * 24 * 3600 * 1000) };
}
