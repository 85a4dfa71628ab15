import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient } from '@quan/data';
import { CampaignCounters } from './campaign-counters';
import { CounterRuns } from './counter-runs';
import { givenBackKey, RedemptionKeys, redemptionKeys, RedemptionPlace } from './keys';
import { counterScripts, CounterScripts } from './scripts';

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
  return [
    holder.redemptionId,
    holder.decidedAtMs,
    holder.subsidyFen,
    holder.merchantId,
    holder.businessDay,
    holder.runId,
    holder.idempotencyKey,
  ].join('|');
}

export function parseHolder(value: string): Holder {
  const [redemptionId, decidedAtMs, subsidyFen, merchantId, businessDay, runId, idempotencyKey] = value.split('|');
  return {
    redemptionId,
    decidedAtMs: Number(decidedAtMs),
    subsidyFen: Number(subsidyFen),
    merchantId,
    businessDay,
    runId,
    idempotencyKey,
  };
}

/** One redemption decision: where it counts, and the decision that will hold its voucher. */
export interface RedemptionDecisionInput {
  place: RedemptionPlace;
  holder: Holder;
  /** The merchant's daily limits in this campaign (0: none). */
  dailyLimit: number;
  dailyCapFen: number;
  /** Identifies the request, so a key reused for another one is told apart. */
  fingerprint: string;
  /** When the voucher's record may go (unix ms). */
  keepVoucherUntilMs: number;
}

/** What redeem.lua decided. */
export type RedemptionDecision =
  | { status: 'OK' }
  | { status: 'FENCED'; runId: string }
  | { status: 'IN_PROGRESS'; sameRequest: boolean }
  | { status: 'ALREADY_REDEEMED'; holder: Holder }
  | { status: 'BUDGET_EXHAUSTED' }
  | { status: 'MERCHANT_LIMIT_REACHED'; limit: string };

/** A decision to release from its voucher: the redemption and where it counted. */
export interface Release {
  place: RedemptionPlace;
  redemptionId: string;
  /** The Idempotency-Key whose record goes with it (`-`: none). */
  idempotencyKey: string;
}

/**
 * The redemption path's counters: the decision (redeem.lua), its release when it never committed, and the
 * give-back of a reversed redemption (release.lua), against the campaign's budget and merchant days.
 */
@Injectable()
export class RedemptionCounters {
  private readonly scripts: CounterScripts;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) redis: RedisClient,
    config: AppConfig,
    private readonly counters: CampaignCounters,
    private readonly runs: CounterRuns,
  ) {
    this.scripts = counterScripts(redis);
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  async decide(input: RedemptionDecisionInput): Promise<RedemptionDecision> {
    const { place, holder } = input;
    const [status, value] = (await this.scripts.redeem(
      ...this.keysOf(place, holder.idempotencyKey),
      holder.runId,
      holder.subsidyFen,
      input.dailyLimit,
      input.dailyCapFen,
      formatHolder(holder),
      input.fingerprint,
      input.keepVoucherUntilMs,
    )) as [string, string];
    switch (status) {
      case 'IN_PROGRESS':
        return { status, sameRequest: value === input.fingerprint };
      case 'ALREADY_REDEEMED':
        return { status, holder: parseHolder(value) };
      case 'MERCHANT_LIMIT_REACHED':
        return { status, limit: value };
      case 'FENCED':
        return { status, runId: value };
      default:
        return { status: status as 'OK' };
    }
  }

  /** The build of the campaign's counters under `runId` is recomputed from Postgres (after FENCED). */
  rebuild(campaign: { campaignId: string; runId: string }): Promise<void> {
    return this.counters.rebuildRedemptions(campaign);
  }

  /** Gives back a decision that never committed, only to the build of the counters that counted it (release.lua). */
  release(decision: Release): Promise<number> {
    const { place, redemptionId } = decision;
    const givenBack = givenBackKey(this.prefix, place.campaignId, redemptionId);
    return this.scripts.release(
      ...this.keysOf(place, decision.idempotencyKey),
      givenBack,
      redemptionId,
      '',
      '0',
      0,
    ) as Promise<number>;
  }

  /**
   * Gives a reversed redemption back to the campaign's counters, once: through its own decision if they
   * counted it, or through the snapshot they were rebuilt from (after a Redis restart, or a rebuild forced
   * by hand). Checked again if they are rebuilt in between. When Redis cannot be reached the counts stay
   * (too high is the safe side) and the voucher is released at its next scan.
   */
  async giveBackReversal(reversal: Release & { subsidyFen: number }): Promise<void> {
    const { place, redemptionId } = reversal;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const runId = await this.runs.current(place.campaignId).catch(() => undefined);
      const check = runId
        ? await this.counters.reversalCheck({ campaignId: place.campaignId, runId, redemptionId })
        : null;
      if (!check) return;
      const released = await this.releaseReversed({ ...reversal, ...check });
      if (released !== RELEASE_REBUILT) return;
    }
  }

  /**
   * A reversed redemption, against the counters' `build` whose snapshot did or did not count it (see
   * release.lua); RELEASE_REBUILT when they were rebuilt since.
   */
  async releaseReversed(reversal: Release & { subsidyFen: number; build: string; counted: boolean }): Promise<number> {
    const { place, redemptionId } = reversal;
    const givenBack = givenBackKey(this.prefix, place.campaignId, redemptionId);
    return (await this.scripts.release(
      ...this.keysOf(place, reversal.idempotencyKey),
      givenBack,
      redemptionId,
      reversal.build,
      reversal.counted ? '1' : '0',
      reversal.subsidyFen,
    )) as number;
  }

  private keysOf(place: RedemptionPlace, idempotencyKey: string): RedemptionKeys {
    return redemptionKeys(this.prefix, place, idempotencyKey);
  }
}
