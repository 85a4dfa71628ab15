import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { AppConfig } from '@quan/config';
import { REDIS } from '@quan/data';
import { personKey, registrationIdempotencyKey, registrationKey } from './keys';
import { counterScripts, CounterScripts } from './scripts';

/** Where a lottery registration is recorded: one per identity and round. */
export interface RegistrationPlace {
  campaignId: string;
  roundId: string;
  identityId: string;
  residentId: string;
  idempotencyKey?: string;
}

export type RegistrationDecision =
  { status: 'OK' } | { status: 'DUPLICATE'; receipt: string } | { status: 'KEY_REUSED'; roundId: string };

/** Records are kept a week: longer than any registration window is expected to stay open. */
const RECORD_SECONDS = 7 * 24 * 3600;

/**
 * Lottery registrations as Redis decides them (register.lua): the first registration of an identity in a
 * round is recorded with its receipt, and every later one answered with that receipt, without Postgres.
 * Postgres (uq_lottery_registrations_identity) stays the record: a receipt Redis lost is found there.
 */
@Injectable()
export class RegistrationCounters {
  private readonly scripts: CounterScripts;
  private readonly prefix: string;

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    config: AppConfig,
  ) {
    this.scripts = counterScripts(redis);
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /** Records `receipt` unless the identity has one (or only `replacing`, one found never committed). */
  async decide(place: RegistrationPlace, receipt: string, replacing = ''): Promise<RegistrationDecision> {
    const [status, value] = (await this.scripts.register(
      ...this.keysOf(place),
      receipt,
      place.roundId,
      RECORD_SECONDS,
      place.idempotencyKey ? 1 : 0,
      replacing,
    )) as [string, string];
    if (status === 'DUPLICATE') return { status, receipt: value };
    if (status === 'KEY_REUSED') return { status, roundId: value };
    return { status: 'OK' };
  }

  /** Writes the committed receipt (after a lost record or a failed commit). Never waited for. */
  record(place: RegistrationPlace, receipt: string): void {
    this.redis.set(this.keysOf(place)[0], receipt, 'EX', RECORD_SECONDS).catch(() => undefined);
  }

  /** Drops a receipt whose commit failed, so the next attempt registers anew. */
  async forget(place: RegistrationPlace, receipt: string): Promise<void> {
    const [key] = this.keysOf(place);
    // Only this receipt: a concurrent attempt's own is left alone.
    if ((await this.redis.get(key)) === receipt) await this.redis.del(key);
  }

  /**
   * Counts vouchers a draw gave (in Postgres) in the winners' person hashes, as claim.lua counts a claim:
   * in the campaign, the round, the business day and each limited category, so a later claim sees the
   * winner's limits used.
   */
  async countWinners(draw: {
    campaignId: string;
    roundId: string;
    businessDay: string;
    /** Each winner given a pack, with the limited categories that pack counts in. */
    winners: readonly { identityId: string; categories: readonly string[] }[];
  }): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const { identityId, categories } of draw.winners) {
      const key = personKey(this.prefix, draw.campaignId, identityId);
      pipeline.hincrby(key, 'c', 1).hincrby(key, `r:${draw.roundId}`, 1).hincrby(key, `d:${draw.businessDay}`, 1);
      for (const code of categories) pipeline.hincrby(key, `g:${code}`, 1);
    }
    await pipeline.exec();
  }

  private keysOf(place: RegistrationPlace): [string, string] {
    return [
      registrationKey(this.prefix, place.campaignId, place.roundId, place.identityId),
      registrationIdempotencyKey(this.prefix, place.campaignId, place.residentId, place.idempotencyKey ?? '-'),
    ];
  }
}
