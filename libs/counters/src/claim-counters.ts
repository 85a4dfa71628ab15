import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient } from '@quan/data';
import { businessDay } from '@quan/domain';
import { ClaimKeys, FIELD, idempotencyKey, personKey, roundKey } from './keys';
import { counterScripts, CounterScripts } from './scripts';

/** One claim as the counters see it: where it counts, and the record of its Idempotency-Key if it has one. */
export interface ClaimPlace {
  campaignId: string;
  roundId: string;
  offerId: string;
  /** Limits count identities: one person with two accounts is one person. */
  identityId: string;
  residentId: string;
  idempotencyKey?: string;
  /** The categories with a per-person limit that the offer's vouchers can be used in. */
  limitedCategories: readonly string[];
}

/** What claim.lua decided. A refusal for a request with a key says whether the person has claims in the round. */
export type ClaimDecision =
  | { status: 'OK'; personSeq: number }
  | { status: 'DUPLICATE'; sameRequest: boolean; claimId: string | undefined }
  | { status: 'IN_PROGRESS'; sameRequest: boolean }
  | { status: 'FENCED'; runId: string }
  | { status: 'LIMIT_REACHED'; scope: string }
  | { status: 'NO_OFFER' | 'ROUND_NOT_OPEN' | 'ROUND_CLOSED' | 'SOLD_OUT'; claimedInRound: boolean };

/**
 * Why a decided claim is given back (unclaim.lua): 'failed' (stock and person counts), 'sold_out' (Postgres
 * refused the stock), 'limit' (Postgres refused the person's sequence number) or 'unknown' (the commit's
 * answer was lost and Postgres does not have the claim yet: only the stock).
 */
export type ClaimGiveBack = 'failed' | 'sold_out' | 'limit' | 'unknown';

/** The stock and issued count of an offer as Redis has them, when its round is prepared. */
export interface OfferStock {
  stock: number;
  issued: number;
}

/**
 * The claim path's counters: the decision (claim.lua), its give-back (unclaim.lua), the idempotency
 * records and the stock left per offer. The request is identified by its round and offer: a key reused
 * for another one is told apart by `sameRequest`.
 */
@Injectable()
export class ClaimCounters {
  private readonly scripts: CounterScripts;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.scripts = counterScripts(redis);
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /**
   * Decides one claim at `decidedAt` under the Redis run `runId`; a key stays in progress for
   * `pendingSeconds` (for as long as its claim may still commit).
   */
  async decide(claim: ClaimPlace & { runId: string; decidedAt: Date; pendingSeconds: number }): Promise<ClaimDecision> {
    const fingerprint = fingerprintOf(claim);
    const [status, value, claimedHere] = (await this.scripts.claim(
      ...this.keysOf(claim),
      claim.decidedAt.getTime(),
      claim.offerId,
      claim.roundId,
      claim.runId,
      claim.idempotencyKey ? claim.pendingSeconds : 0,
      fingerprint,
      businessDay(claim.decidedAt),
      ...claim.limitedCategories,
    )) as [string, string, string?];
    switch (status) {
      case 'OK':
        return { status, personSeq: Number(value) };
      case 'DUPLICATE': {
        const [stored, claimId] = value.split('|');
        return { status, sameRequest: stored === fingerprint, claimId };
      }
      case 'IN_PROGRESS':
        return { status, sameRequest: value === fingerprint };
      case 'FENCED':
        return { status, runId: value };
      case 'LIMIT_REACHED':
        return { status, scope: value };
      default:
        return { status: status as 'NO_OFFER', claimedInRound: claimedHere === '1' };
    }
  }

  /** Gives back a claim decided at `decidedAt` under `runId` whose commit failed or is not in Postgres (unclaim.lua). */
  giveBack(claim: ClaimPlace & { runId: string; decidedAt: Date; reason: ClaimGiveBack }): Promise<unknown> {
    // The business day the script counted the claim in, so the give-back undoes exactly that count.
    return this.scripts.unclaim(
      ...this.keysOf(claim),
      claim.offerId,
      claim.roundId,
      claim.runId,
      claim.reason,
      businessDay(claim.decidedAt),
      ...claim.limitedCategories,
    );
  }

  /**
   * After the commit, the key's record points at the claim for a day (a lost write only costs a Postgres
   * lookup). Never waited for.
   */
  recordAnswer(
    claim: Omit<ClaimPlace, 'identityId' | 'limitedCategories'> & { idempotencyKey: string; claimId: string },
  ): void {
    const key = idempotencyKey(this.prefix, claim.campaignId, claim.residentId, claim.idempotencyKey);
    this.redis.set(key, `${fingerprintOf(claim)}|${claim.claimId}`, 'EX', 86400).catch(() => undefined);
  }

  /** Stock and issued per offer of each round (in the order asked), undefined for an offer not prepared in Redis. */
  async stockOf(
    rounds: readonly { campaignId: string; roundId: string; offerIds: readonly string[] }[],
  ): Promise<(OfferStock | undefined)[][]> {
    if (rounds.length === 0) return [];
    // Sent together (auto-pipelined per server): the rounds' campaigns may sit on different masters of a cluster.
    const replies = await Promise.all(
      rounds.map((round) =>
        this.redis.hmget(
          roundKey(this.prefix, round.campaignId, round.roundId),
          ...round.offerIds.flatMap((id) => [FIELD.stock(id), FIELD.issued(id)]),
        ),
      ),
    );
    return rounds.map((round, index) => {
      const values = replies[index];
      return round.offerIds.map((_, i) => {
        const [stock, issued] = [values[2 * i], values[2 * i + 1]];
        return stock !== null && stock !== undefined && issued !== null && issued !== undefined
          ? { stock: Number(stock), issued: Number(issued) }
          : undefined;
      });
    });
  }

  private keysOf(claim: ClaimPlace): ClaimKeys {
    return [
      roundKey(this.prefix, claim.campaignId, claim.roundId),
      personKey(this.prefix, claim.campaignId, claim.identityId),
      idempotencyKey(this.prefix, claim.campaignId, claim.residentId, claim.idempotencyKey ?? '-'),
    ];
  }
}

/** A key's record names the round and offer it was used for: a key reused for another claim is refused. */
function fingerprintOf(claim: { roundId: string; offerId: string }): string {
  return `${claim.roundId}/${claim.offerId}`;
}
