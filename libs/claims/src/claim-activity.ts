import { Inject, Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { RoundCatalog } from './round-catalog';

/** The outcome recorded for a claim answered 201; a refusal is recorded by its problem code. */
export const CLAIMED = 'claimed';

/** How often each process adds what it counted to Redis. */
export const ACTIVITY_FLUSH_MS = 1000;
/** Per-second counts are kept this long: longer than the monitor's series. */
const SECONDS_KEPT_S = 600;
/** A round's refusals by code are kept this long after its last one, so a round closed yesterday still shows them. */
const TOTALS_KEPT_S = 3 * 86400;

/**
 * Redis keys of a round's activity, under a hash tag of their own (not the campaign's), so the monitor
 * adds nothing to the slot every claim script runs in.
 *
 *   PREFIX:{m:ROUND}:t         hash  CODE → refusals of the round with that code
 *   PREFIX:{m:ROUND}:s:MINUTE  hash  ok:SS → claims answered 201 in second SS of that minute (epoch minutes),
 *                                    no:SS → refusals in that second
 */
const totalsKey = (prefix: string, roundId: string) => `${prefix}:{m:${roundId}}:t`;
const minuteKey = (prefix: string, roundId: string, minute: number) => `${prefix}:{m:${roundId}}:s:${minute}`;

/** One round's activity as all api processes flushed it. */
export interface RoundActivity {
  /** Claims answered 201 in each second from `from` (epoch seconds), oldest first. */
  claims: number[];
  /** Refusals in each of those seconds. */
  refusals: number[];
  /** Refusals of the round since it was first refused (within TOTALS_KEPT_S), by code. */
  refusalsByCode: Map<ErrorCode, number>;
}

/**
 * Counts claim outcomes per round and second in this process's memory (a Map increment on the claim
 * path) and adds them to Redis once a second, one pipeline per round, so the live monitor sums every
 * api replica without touching the claim script or adding a Redis call per claim.
 */
@Injectable()
export class ClaimActivity implements OnApplicationShutdown {
  private readonly logger = new Logger(ClaimActivity.name);
  /** Counts since the last flush: second (epoch) → round → outcome → count; nested, so recording builds no key. */
  private counts = new Map<number, Map<string, Map<string, number>>>();
  private readonly timer: NodeJS.Timeout;
  private readonly prefix: string;

  constructor(
    private readonly catalog: RoundCatalog,
    @Inject(REDIS) private readonly redis: RedisClient,
    config: AppConfig,
  ) {
    this.prefix = config.REDIS_KEY_PREFIX;
    this.timer = setInterval(() => void this.flush(), ACTIVITY_FLUSH_MS).unref();
  }

  /** Counts one answered claim of a round: CLAIMED, or the refusal's code. */
  record(roundId: string, outcome: string): void {
    const second = Math.floor(Date.now() / 1000);
    let rounds = this.counts.get(second);
    if (!rounds) this.counts.set(second, (rounds = new Map()));
    let outcomes = rounds.get(roundId);
    if (!outcomes) rounds.set(roundId, (outcomes = new Map()));
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }

  /**
   * Adds the counts since the last flush to Redis, one pipeline per round (its keys share a hash tag, so
   * one Redis Cluster slot). Only rounds the catalog knows are kept: a made-up round id in a refused
   * claim must not create keys. A failed flush drops its second of counts: the monitor is a view, and
   * holding counts through an outage would grow without bound.
   */
  async flush(): Promise<void> {
    if (this.counts.size === 0) return;
    const counts = this.counts;
    this.counts = new Map();
    const byRound = new Map<string, [second: number, outcome: string, count: number][]>();
    for (const [second, rounds] of counts) {
      for (const [roundId, outcomes] of rounds) {
        if (!this.catalog.peek(roundId)) continue;
        const entries = byRound.get(roundId) ?? [];
        for (const [outcome, count] of outcomes) entries.push([second, outcome, count]);
        byRound.set(roundId, entries);
      }
    }
    await Promise.all([...byRound].map(([roundId, entries]) => this.add(roundId, entries)));
  }

  private async add(roundId: string, entries: [second: number, outcome: string, count: number][]): Promise<void> {
    const pipeline = this.redis.pipeline();
    const expiring = new Map<string, number>();
    for (const [second, outcome, count] of entries) {
      const minute = minuteKey(this.prefix, roundId, Math.floor(second / 60));
      const claimed = outcome === CLAIMED;
      pipeline.hincrby(minute, `${claimed ? 'ok' : 'no'}:${second % 60}`, count);
      expiring.set(minute, SECONDS_KEPT_S);
      if (claimed) continue;
      pipeline.hincrby(totalsKey(this.prefix, roundId), outcome, count);
      expiring.set(totalsKey(this.prefix, roundId), TOTALS_KEPT_S);
    }
    for (const [key, seconds] of expiring) pipeline.expire(key, seconds);
    const results = await pipeline.exec().catch((error: unknown) => [[error]]);
    const failed = results?.find(([error]) => error);
    if (failed) this.logger.warn(`claim activity of round ${roundId} not recorded: ${String(failed[0])}`);
  }

  /** The activity of rounds over the `seconds` seconds ending with `until` (epoch seconds, inclusive). */
  async read(roundIds: string[], until: number, seconds: number): Promise<Map<string, RoundActivity>> {
    const rounds = await Promise.all(
      roundIds.map(async (roundId) => [roundId, await this.readRound(roundId, until, seconds)] as const),
    );
    return new Map(rounds);
  }

  /** One round's activity, read in one pipeline (one slot). */
  private async readRound(roundId: string, until: number, seconds: number): Promise<RoundActivity> {
    const from = until - seconds + 1;
    const first = Math.floor(from / 60);
    const minutes = Array.from({ length: Math.floor(until / 60) - first + 1 }, (_, i) => first + i);
    const pipeline = this.redis.pipeline().hgetall(totalsKey(this.prefix, roundId));
    for (const minute of minutes) pipeline.hgetall(minuteKey(this.prefix, roundId, minute));
    const [totals, ...perMinute] = ((await pipeline.exec()) ?? []).map(([error, value]) => {
      if (error) throw error;
      return value as Record<string, string>;
    });
    const claims = new Array<number>(seconds).fill(0);
    const refusals = new Array<number>(seconds).fill(0);
    minutes.forEach((minute, m) => {
      for (const [field, value] of Object.entries(perMinute[m] ?? {})) {
        const index = minute * 60 + Number(field.slice(3)) - from;
        if (index >= 0 && index < seconds) (field.startsWith('ok:') ? claims : refusals)[index] += Number(value);
      }
    });
    const refusalsByCode = new Map(
      Object.entries(totals ?? {}).map(([code, count]) => [code as ErrorCode, Number(count)]),
    );
    return { claims, refusals, refusalsByCode };
  }

  onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    return this.flush();
  }
}
