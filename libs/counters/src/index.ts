export * from './campaign-counters';
export * from './claim-counters';
export * from './commit-decided';
export * from './counter-runs';
export * from './counters.module';
export {
  budgetKey,
  campaignTag,
  givenBackKey,
  idempotencyKey,
  merchantDayKey,
  personKey,
  redemptionIdempotencyKey,
  roundKey,
  voucherKey,
} from './keys';
export type { RedemptionPlace } from './keys';
export * from './redemption-counters';
export * from './registration-counters';
