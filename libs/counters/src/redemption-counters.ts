import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { budgetKey, CampaignCounters, givenBackKey, merchantDayKey, redemptionIdempotencyKey, voucherKey } from '@quan/data';

/** Keys of one redemption decision (see redeem.lua): budget, merchant day, voucher, idempotency record. */
export type RedemptionKeys = readonly [string, string, string, string];

/** Where a redemption is counted, with the record of its Idempotency-Key (`-` when there is none to drop). */
export interface RedemptionPlace {
  campaignId: string;
  merchantId: string;
  businessDay: string;
  voucherId: string;
}

export function redemptionKeys(prefix: string, place: RedemptionPlace, idempotencyKey: string): RedemptionKeys {
  return [
    budgetKey(prefix, place.campaignId),
    merchantDayKey(prefix, place.campaignId, place.merchantId, place.businessDay),
    voucherKey(prefix, place.campaignId, place.voucherId),
    redemptionIdempotencyKey(prefix, place.campaignId, place.merchantId, idempotencyKey),
  ];
}

/** What release.lua answers when the counters were rebuilt since the caller checked them (nothing changed). */
export const RELEASE_REBUILT = -1;

/** Who holds a voucher in Redis: the redemption decided for it (see redeem.lua). */
export interface Holder {
  redemptionId: string;
  decidedAtMs: number;
  subsidyFen: number;
  merchantId: string;
  businessDay: string;
  runId: string;
  idempotencyKey: string;
}

export function formatHolder(holder: Holder): string {
  return [holder.redemptionId, holder.decidedAtMs, holder.subsidyFen, holder.merchantId, holder.businessDay, holder.runId, holder.idempotencyKey].join('|');
}

export function parseHolder(value: string): Holder {
  const [redemptionId, decidedAtMs, subsidyFen, merchantId, businessDay, runId, idempotencyKey] = value.split('|');
  return { redemptionId, decidedAtMs: Number(decidedAtMs), subsidyFen: Number(subsidyFen), merchantId, businessDay, runId, idempotencyKey };
}

/** The Lua scripts of the redemption path, loaded from their .lua files and run with EVALSHA. */
export interface RedemptionScripts {
  redeem(keys: RedemptionKeys, runId: string, subsidyFen: number, dailyLimit: number, dailyCapFen: number, holder: string, fingerprint: string, keepVoucherUntilMs: number): Promise<[string, string]>;
  /** A decision that never committed: given back only to the build of the counters that counted it. */
  release(keys: RedemptionKeys, givenBack: string, redemptionId: string): Promise<number>;
  /** A reversed redemption, against the counters' `build` whose snapshot did or did not count it (see release.lua). */
  releaseReversed(keys: RedemptionKeys, givenBack: string, redemptionId: string, build: string, counted: boolean, subsidyFen: number): Promise<number>;
}

const script = (name: string) => readFileSync(join(__dirname, 'lua', `${name}.lua`), 'utf8');

export function defineRedemptionScripts(redis: Redis): RedemptionScripts {
  redis.defineCommand('quanRedeem', { numberOfKeys: 4, lua: script('redeem') });
  redis.defineCommand('quanRelease', { numberOfKeys: 5, lua: script('release') });
  const commands = redis as unknown as {
    quanRedeem(...args: (string | number)[]): Promise<[string, string]>;
    quanRelease(...args: (string | number)[]): Promise<number>;
  };
  return {
    redeem: (keys, ...args) => commands.quanRedeem(...keys, ...args),
    release: (keys, givenBack, redemptionId) => commands.quanRelease(...keys, givenBack, redemptionId, '', '0', 0),
    releaseReversed: (keys, givenBack, redemptionId, build, counted, subsidyFen) =>
      commands.quanRelease(...keys, givenBack, redemptionId, build, counted ? '1' : '0', subsidyFen),
  };
}

/**
 * Gives a reversed redemption back to the campaign's counters, once: through its own decision if they
 * counted it, or through the snapshot they were rebuilt from (after a Redis restart, or a rebuild forced
 * by hand). Checked again if they are rebuilt in between. When Redis cannot be reached the counts stay
 * (too high is the safe side) and the voucher is released at its next scan.
 */
export async function giveBackReversal(
  scripts: RedemptionScripts, counters: CampaignCounters, currentRun: () => string | undefined,
  prefix: string, keys: RedemptionKeys, campaignId: string, redemptionId: string, subsidyFen: number,
): Promise<void> {
  const givenBack = givenBackKey(prefix, campaignId, redemptionId);
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const runId = currentRun();
    const check = runId ? await counters.reversalCheck(campaignId, runId, redemptionId) : null;
    if (!check) return;
    const released = await scripts.releaseReversed(keys, givenBack, redemptionId, check.build, check.counted, subsidyFen);
    if (released !== RELEASE_REBUILT) return;
  }
}
