/**
 * Redis keys of one campaign. Every key carries the hash tag {c:CAMPAIGN}, so one Lua script can check
 * a round's stock and a person's campaign-wide limits atomically inside one Redis Cluster slot.
 *
 *   PREFIX:{c:C}:r:ROUND   hash  open (ms), close (ms), live (0|1: campaign published/running and round
 *                                not paused), lim / rlim / dlim (claims per person in the campaign, in a round,
 *                                per business day; 0: none), cl:CATEGORY (claims per person with vouchers
 *                                usable in that category), s:OFFER (stock), i:OFFER (issued),
 *                                run (the Redis run id the counts were rebuilt under)
 *   PREFIX:{c:C}:p:PERSON  hash  c (claims in the campaign), r:ROUND (in that round), d:YYYY-MM-DD (on that day),
 *                                g:CATEGORY (claims with vouchers usable in that category), t (when the claim
 *                                script last counted a claim here, ms; absent once rebuilt from Postgres)
 *   PREFIX:{c:C}:k:RES:KEY        idempotency record of one resident's Idempotency-Key
 *   PREFIX:{c:C}:b         hash  run, build (a new id per rebuild), snap (the Postgres snapshot it was rebuilt
 *                                from), cap (the budget in fen), used (subsidy of redemptions not reversed)
 *   PREFIX:{c:C}:m:MER:DAY hash  n (redemptions), fen (subsidy) of one merchant on one business day
 *   PREFIX:{c:C}:v:VOUCHER        the decision that redeemed the voucher, while it is redeemed (see redeem.lua)
 *   PREFIX:{c:C}:gb:REDEMPTION    the build a reversed redemption's subsidy was given back to (release.lua)
 *   PREFIX:{c:C}:x:MER:KEY        idempotency record of one merchant's Idempotency-Key
 *   PREFIX:{c:C}:l:ROUND:IDENTITY the receipt of an identity's lottery registration (register.lua)
 *   PREFIX:{c:C}:lk:RES:KEY       the lottery round a resident's Idempotency-Key was used for
 *   PREFIX:{c:C}:rebuild, PREFIX:{c:C}:rebuild-redemptions   the rebuild locks (rebuild-lock.ts)
 *
 * The claim script accepts nothing unless the round's `run` equals the run id of the Redis server it runs
 * on (lua/prelude.lua; on a cluster, the master of the campaign's slot): after a restart or a failover (or
 * a round never rebuilt) the round is fenced until `rebuild` has recomputed issued and per-person counts
 * from Postgres. The redemption script does the
 * same with the budget hash's `run` and `rebuildRedemptions`.
 *
 * Only libs/counters builds these keys and names their fields (lint keeps it so); tests use the helpers
 * to look at what the scripts wrote.
 */
export function campaignTag(prefix: string, campaignId: string): string {
  return `${prefix}:{c:${campaignId}}`;
}

export const roundKey = (prefix: string, campaignId: string, roundId: string) =>
  `${campaignTag(prefix, campaignId)}:r:${roundId}`;
export const personKey = (prefix: string, campaignId: string, person: string) =>
  `${campaignTag(prefix, campaignId)}:p:${person}`;
export const idempotencyKey = (prefix: string, campaignId: string, residentId: string, key: string) =>
  `${campaignTag(prefix, campaignId)}:k:${residentId}:${key}`;

export const registrationKey = (prefix: string, campaignId: string, roundId: string, identityId: string) =>
  `${campaignTag(prefix, campaignId)}:l:${roundId}:${identityId}`;
export const registrationIdempotencyKey = (prefix: string, campaignId: string, residentId: string, key: string) =>
  `${campaignTag(prefix, campaignId)}:lk:${residentId}:${key}`;

export const budgetKey = (prefix: string, campaignId: string) => `${campaignTag(prefix, campaignId)}:b`;
export const merchantDayKey = (prefix: string, campaignId: string, merchantId: string, day: string) =>
  `${campaignTag(prefix, campaignId)}:m:${merchantId}:${day}`;
export const voucherKey = (prefix: string, campaignId: string, voucherId: string) =>
  `${campaignTag(prefix, campaignId)}:v:${voucherId}`;
/** The build of the counters a reversed redemption's subsidy was given back to (release.lua: once per build). */
export const givenBackKey = (prefix: string, campaignId: string, redemptionId: string) =>
  `${campaignTag(prefix, campaignId)}:gb:${redemptionId}`;
export const redemptionIdempotencyKey = (prefix: string, campaignId: string, merchantId: string, key: string) =>
  `${campaignTag(prefix, campaignId)}:x:${merchantId}:${key}`;

/** Hash fields read or written outside the Lua scripts. */
export const FIELD = {
  run: 'run',
  build: 'build',
  snap: 'snap',
  used: 'used',
  decidedAt: 't',
  stock: (offerId: string) => `s:${offerId}`,
  issued: (offerId: string) => `i:${offerId}`,
} as const;

/** Keys of one claim decision (see claim.lua): round, person, idempotency record. */
export type ClaimKeys = readonly [string, string, string];

/** Keys of one redemption decision (see redeem.lua): budget, merchant day, voucher, idempotency record. */
export type RedemptionKeys = readonly [string, string, string, string];

/** Where a redemption is counted. */
export interface RedemptionPlace {
  campaignId: string;
  merchantId: string;
  businessDay: string;
  voucherId: string;
}

/** The keys of a redemption, with the record of its Idempotency-Key (`-` when there is none to drop). */
export function redemptionKeys(prefix: string, place: RedemptionPlace, idempotencyKey: string): RedemptionKeys {
  return [
    budgetKey(prefix, place.campaignId),
    merchantDayKey(prefix, place.campaignId, place.merchantId, place.businessDay),
    voucherKey(prefix, place.campaignId, place.voucherId),
    redemptionIdempotencyKey(prefix, place.campaignId, place.merchantId, idempotencyKey),
  ];
}
