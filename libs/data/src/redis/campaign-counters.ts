import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { DomainError, ErrorCode } from '@quan/domain';
import { deleteKeysWithPrefix } from '../admin/redis-keys';
import { Campaign, CampaignStatus } from '../entities/campaign.entity';
import { RoundOffer } from '../entities/round-offer.entity';
import { Round } from '../entities/round.entity';
import { REDIS } from './redis.tokens';

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
 *
 * The claim script accepts nothing unless the round's `run` equals the run id of the Redis server the
 * caller is connected to: after a restart (or a round never rebuilt) the round is fenced until
 * `rebuild` has recomputed issued and per-person counts from Postgres. The redemption script does the
 * same with the budget hash's `run` and `rebuildRedemptions`.
 */
export function campaignTag(prefix: string, campaignId: string): string {
  return `${prefix}:{c:${campaignId}}`;
}

export const roundKey = (prefix: string, campaignId: string, roundId: string) => `${campaignTag(prefix, campaignId)}:r:${roundId}`;
export const personKey = (prefix: string, campaignId: string, person: string) => `${campaignTag(prefix, campaignId)}:p:${person}`;
export const idempotencyKey = (prefix: string, campaignId: string, residentId: string, key: string) =>
  `${campaignTag(prefix, campaignId)}:k:${residentId}:${key}`;

export const budgetKey = (prefix: string, campaignId: string) => `${campaignTag(prefix, campaignId)}:b`;
export const merchantDayKey = (prefix: string, campaignId: string, merchantId: string, day: string) =>
  `${campaignTag(prefix, campaignId)}:m:${merchantId}:${day}`;
export const voucherKey = (prefix: string, campaignId: string, voucherId: string) => `${campaignTag(prefix, campaignId)}:v:${voucherId}`;
/** The build of the counters a reversed redemption's subsidy was given back to (release.lua: once per build). */
export const givenBackKey = (prefix: string, campaignId: string, redemptionId: string) => `${campaignTag(prefix, campaignId)}:gb:${redemptionId}`;
export const redemptionIdempotencyKey = (prefix: string, campaignId: string, merchantId: string, key: string) =>
  `${campaignTag(prefix, campaignId)}:x:${merchantId}:${key}`;

/** Merchant-day counters are rebuilt for this many business days back (they expire after three). */
const MERCHANT_DAYS_KEPT = 3;

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
/** KEYS[1] a lock, ARGV[1] the holder's token, ARGV[2] milliseconds: extends the lock if the caller still holds it. */
const RENEW_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
/** How long a rebuild lock lasts unless its holder renews it (every third of that while it works). */
const LOCK_MS = 30000;
/**
 * KEYS[1] a rebuild lock, then keys of its campaign; ARGV[1] the holder's token, ARGV[2] 'unlink' or a
 * lifetime in ms for the hashes (0: none), then for hashes each one's fields as a JSON object of strings.
 * Deletes the keys, or sets the hashes' fields, only if the caller still holds the lock, in one step, so a
 * rebuild that lost its lock writes nothing (answers 0).
 */
const WRITE_IF_HELD = `if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if ARGV[2] == 'unlink' then
  if #KEYS > 1 then redis.call('UNLINK', unpack(KEYS, 2)) end
  return 1
end
local ttl = tonumber(ARGV[2])
for i = 2, #KEYS do
  for field, value in pairs(cjson.decode(ARGV[i + 1])) do redis.call('HSET', KEYS[i], field, value) end
  if ttl > 0 then redis.call('PEXPIRE', KEYS[i], ttl) end
end
return 1`;
/** Keys a rebuild writes or deletes per step. */
const REBUILD_BATCH = 1000;

/** A rebuild's hold on its lock: every write of a rebuild goes through it, and fails once the lock is another's. */
interface RebuildLock {
  /** Deletes the campaign's keys that start with `prefix`, batch by batch. */
  deleteWithPrefix(prefix: string): Promise<void>;
  /** Sets the fields of each hash (key → fields), and its lifetime if given, batch by batch. */
  write(hashes: Map<string, Record<string, string | number>>, ttlMs?: number): Promise<void>;
}

/** KEYS[1] a person hash, ARGV[1] its `t` when read, then field, value, …: replaces the hash unless `t` moved (then answers -1). */
const SETTLE_PERSON = `if redis.call('HGET', KEYS[1], 't') ~= ARGV[1] then return -1 end
redis.call('DEL', KEYS[1])
if #ARGV > 1 then redis.call('HSET', KEYS[1], unpack(ARGV, 2)) end
return 1`;

const LIVE_STATUSES = new Set([CampaignStatus.Published, CampaignStatus.Running]);

/**
 * The Redis counters of a campaign's rounds, derived from Postgres. `prepare` (idempotent) writes the
 * configuration (window, live flag, limit, stock), so publishing, pause/resume, window extensions and
 * added stock take effect at once. `rebuild` also recomputes issued and per-person counts from the
 * committed claims and unfences the rounds for the current Redis run.
 */
@Injectable()
export class CampaignCounters {
  private readonly inFlight = new Map<string, Promise<void>>();
  /** When this process first found each fence (claims or redemptions of a campaign under a run) it has not yet lifted. */
  private readonly fencedSince = new Map<string, number>();

  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async prepare(campaignId: string): Promise<void> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneByOrFail({ id: campaignId });
    const rounds = await this.dataSource.getRepository(Round).findBy({ campaignId });
    const offers = rounds.length
      ? await this.dataSource.getRepository(RoundOffer).find({ where: rounds.map((r) => ({ roundId: r.id })) })
      : [];
    const pipeline = this.redis.multi();
    for (const round of rounds) {
      const key = roundKey(this.config.REDIS_KEY_PREFIX, campaignId, round.id);
      const live = LIVE_STATUSES.has(campaign.status) && !round.paused ? 1 : 0;
      const fields: Record<string, string | number> = {
        open: round.opensAt.getTime(),
        close: round.closesAt.getTime(),
        live,
        lim: campaign.perPersonLimit,
        rlim: campaign.perPersonRoundLimit ?? 0,
        dlim: campaign.perPersonDailyLimit ?? 0,
      };
      for (const [category, limit] of Object.entries(campaign.perPersonCategoryLimits)) fields[`cl:${category}`] = limit;
      for (const offer of offers.filter((o) => o.roundId === round.id)) {
        fields[`s:${offer.id}`] = offer.stock;
      }
      pipeline.hset(key, fields);
    }
    await pipeline.exec();
  }

  /**
   * Recomputes the claim counters of a campaign from Postgres and marks its rounds as built under `runId`.
   * One process rebuilds (a Redis lock), once however many of its requests ask; the others wait until it has finished.
   */
  rebuild(campaignId: string, runId: string): Promise<void> {
    return this.once(`rebuild:${campaignId}:${runId}`, async () => {
      const probe = await this.dataSource.query(`SELECT id FROM rounds WHERE campaign_id = $1 LIMIT 1`, [campaignId]);
      if (probe.length === 0) return;
      const probeKey = roundKey(this.config.REDIS_KEY_PREFIX, campaignId, (probe[0] as { id: string }).id);
      await this.exclusively(campaignId, 'rebuild', probeKey, runId, (lock) => this.rebuildClaims(campaignId, runId, lock));
    });
  }

  /**
   * Recomputes the redemption counters of a campaign (subsidy used against the budget, and each merchant's
   * recent days) from the redemptions not reversed, and marks them as built under `runId`, as a new `build`.
   * Both are read in one snapshot, which is kept with them (`snap`), so a later reversal can tell whether
   * they counted its redemption (reversalCheck). Voucher keys are not rebuilt: Postgres refuses a second
   * active redemption of a voucher (uq_redemptions_voucher_active).
   */
  rebuildRedemptions(campaignId: string, runId: string): Promise<void> {
    const prefix = this.config.REDIS_KEY_PREFIX;
    const key = budgetKey(prefix, campaignId);
    return this.once(`rebuild-redemptions:${campaignId}:${runId}`, () => this.exclusively(campaignId, 'rebuild-redemptions', key, runId, async (lock) => {
      const { campaign, days } = await this.dataSource.transaction('REPEATABLE READ', async (manager) => {
        const [campaign] = (await manager.query(
          `SELECT budget_fen, pg_current_snapshot()::text AS snap,
                  (SELECT coalesce(sum(subsidy_fen), 0) FROM redemptions WHERE campaign_id = $1 AND reversed_at IS NULL) AS used
             FROM campaigns WHERE id = $1`,
          [campaignId],
        )) as { budget_fen: string; snap: string; used: string }[];
        const days = (await manager.query(
          `SELECT merchant_id, to_char(business_day, 'YYYY-MM-DD') AS day, count(*)::int AS n, sum(subsidy_fen)::text AS fen
             FROM redemptions
            WHERE campaign_id = $1 AND reversed_at IS NULL
              AND business_day > (now() AT TIME ZONE 'Asia/Shanghai')::date - $2::int
            GROUP BY 1, 2`,
          [campaignId, MERCHANT_DAYS_KEPT],
        )) as { merchant_id: string; day: string; n: number; fen: string }[];
        return { campaign, days };
      });
      if (!campaign) return;
      await lock.deleteWithPrefix(`${campaignTag(prefix, campaignId)}:m:`);
      await lock.write(new Map(days.map((row) => [merchantDayKey(prefix, campaignId, row.merchant_id, row.day), { n: row.n, fen: row.fen }])), MERCHANT_DAYS_KEPT * 86400000);
      await lock.write(new Map([[key, { cap: campaign.budget_fen, used: campaign.used, run: runId, build: randomUUID(), snap: campaign.snap }]]));
    }));
  }

  /**
   * For a reversed redemption: the build of the campaign's redemption counters under `runId` (rebuilt first
   * when they are fenced), and whether the snapshot they were rebuilt from counted it, i.e. its commit was
   * visible there and its reversal was not. Null when the counters cannot be had under `runId` now.
   */
  async reversalCheck(campaignId: string, runId: string, redemptionId: string): Promise<{ build: string; counted: boolean } | null> {
    const key = budgetKey(this.config.REDIS_KEY_PREFIX, campaignId);
    let [run, build, snap] = await this.redis.hmget(key, 'run', 'build', 'snap');
    if (run !== runId) {
      await this.rebuildRedemptions(campaignId, runId);
      [run, build, snap] = await this.redis.hmget(key, 'run', 'build', 'snap');
    }
    if (run !== runId || !build || !snap) return null;
    const [row] = (await this.dataSource.query(
      `SELECT pg_visible_in_snapshot(insert_xid::text::xid8, $2::pg_snapshot)
              AND NOT pg_visible_in_snapshot(reversal_xid::text::xid8, $2::pg_snapshot) AS counted
         FROM redemptions WHERE id = $1 AND insert_xid IS NOT NULL AND reversal_xid IS NOT NULL`,
      [redemptionId, snap],
    )) as { counted: boolean }[];
    return { build, counted: row?.counted === true };
  }

  /** Stock and issued per offer of each round (in the order asked), undefined for an offer not prepared in Redis. */
  async stockOf(
    rounds: readonly { campaignId: string; roundId: string; offerIds: readonly string[] }[],
  ): Promise<({ stock: number; issued: number } | undefined)[][]> {
    if (rounds.length === 0) return [];
    const pipeline = this.redis.pipeline();
    for (const round of rounds) {
      const fields = round.offerIds.flatMap((id) => [`s:${id}`, `i:${id}`]);
      pipeline.hmget(roundKey(this.config.REDIS_KEY_PREFIX, round.campaignId, round.roundId), ...fields);
    }
    const replies = (await pipeline.exec()) ?? [];
    return rounds.map((round, index) => {
      const values = (replies[index]?.[1] as (string | null)[] | undefined) ?? [];
      return round.offerIds.map((_, i) => {
        const [stock, issued] = [values[2 * i], values[2 * i + 1]];
        const known = stock !== null && stock !== undefined && issued !== null && issued !== undefined;
        return known ? { stock: Number(stock), issued: Number(issued) } : undefined;
      });
    });
  }

  /** Seconds since this process found the oldest fence it has not lifted yet (0: none); a fence that lasts means rebuilds keep failing. */
  oldestFenceSeconds(): number {
    const oldest = Math.min(...this.fencedSince.values());
    return Number.isFinite(oldest) ? (Date.now() - oldest) / 1000 : 0;
  }

  /** One call per key at a time in this process: callers that arrive while it runs share its outcome. */
  private once(key: string, run: () => Promise<void>): Promise<void> {
    let pending = this.inFlight.get(key);
    if (!pending) {
      if (!this.fencedSince.has(key)) this.fencedSince.set(key, Date.now());
      pending = run()
        .then(() => void this.fencedSince.delete(key))
        .finally(() => this.inFlight.delete(key));
      this.inFlight.set(key, pending);
    }
    return pending;
  }

  /**
   * Runs `work` in one process at a time per campaign and kind (a Redis lock, renewed while it works); the
   * others wait until `probeKey` carries `runId`. `work` writes only through the lock, each step checking it
   * still holds it: a process that lost the lock (stalled longer than LOCK_MS) must not overwrite another
   * one's newer rebuild, nor the counts of claims decided since.
   */
  private async exclusively(campaignId: string, kind: string, probeKey: string, runId: string, work: (lock: RebuildLock) => Promise<void>): Promise<void> {
    const lock = `${campaignTag(this.config.REDIS_KEY_PREFIX, campaignId)}:${kind}`;
    const token = randomUUID();
    if ((await this.redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
      const deadline = Date.now() + LOCK_MS;
      while (Date.now() < deadline) {
        if ((await this.redis.hget(probeKey, 'run')) === runId) return;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      return;
    }
    const renewal = setInterval(() => void this.redis.eval(RENEW_LOCK, 1, lock, token, LOCK_MS).catch(() => undefined), LOCK_MS / 3);
    const whileHeld = async (keys: string[], ...args: string[]) => {
      if ((await this.redis.eval(WRITE_IF_HELD, keys.length + 1, lock, ...keys, token, ...args)) !== 1) {
        throw new DomainError(ErrorCode.Unavailable, 'The counters are being rebuilt by another process; retry shortly');
      }
    };
    const held: RebuildLock = {
      deleteWithPrefix: async (prefix) => {
        await deleteKeysWithPrefix(this.redis, [prefix], async (keys) => {
          await whileHeld(keys, 'unlink');
          return keys.length;
        });
      },
      write: async (hashes, ttlMs = 0) => {
        const entries = [...hashes];
        for (let start = 0; start < entries.length; start += REBUILD_BATCH) {
          const batch = entries.slice(start, start + REBUILD_BATCH);
          // As strings, which cjson hands to HSET unchanged (a Lua number could come back as 1e+15).
          const fields = batch.map(([, value]) => JSON.stringify(Object.fromEntries(Object.entries(value).map(([field, v]) => [field, String(v)]))));
          await whileHeld(batch.map(([key]) => key), String(ttlMs), ...fields);
        }
      },
    };
    try {
      // Another process may have finished the same rebuild between this caller's FENCED and the lock.
      if ((await this.redis.hget(probeKey, 'run')) !== runId) await work(held);
    } finally {
      clearInterval(renewal);
      await this.redis.eval(RELEASE_LOCK, 1, lock, token);
    }
  }

  private async rebuildClaims(campaignId: string, runId: string, lock: RebuildLock): Promise<void> {
    const prefix = this.config.REDIS_KEY_PREFIX;
    const tag = campaignTag(prefix, campaignId);
    await this.prepare(campaignId);
    const offers = (await this.dataSource.query(
      `SELECT o.id, o.round_id, o.issued FROM round_offers o JOIN rounds r ON r.id = o.round_id WHERE r.campaign_id = $1`,
      [campaignId],
    )) as { id: string; round_id: string; issued: number }[];
    const byPerson = await this.personCounts(campaignId);
    await lock.deleteWithPrefix(`${tag}:p:`);
    await lock.write(new Map([...byPerson].map(([person, fields]) => [personKey(prefix, campaignId, person), fields])));

    const rounds = new Map<string, Record<string, string | number>>();
    for (const offer of offers) {
      const fields = rounds.get(offer.round_id) ?? { run: runId };
      fields[`i:${offer.id}`] = offer.issued;
      rounds.set(offer.round_id, fields);
    }
    // In one step (a campaign has far fewer rounds than a batch): its rounds take claims again under this run.
    await lock.write(new Map([...rounds].map(([roundId, fields]) => [roundKey(prefix, campaignId, roundId), fields])));
  }

  /**
   * The person hash fields of a campaign's claimants as Postgres has them (or of one identity): claims in
   * the campaign (the highest sequence number, which the next claim continues), per round, per business day
   * and per limited category.
   */
  private async personCounts(campaignId: string, identityId: string | null = null): Promise<Map<string, Record<string, number>>> {
    // One statement, so one snapshot: a claim committing meanwhile is counted in every field or none.
    const rows = (await this.dataSource.query(
      `SELECT identity_id, round_id, to_char(claimed_at AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD') AS day, NULL::text AS code,
              count(*)::int AS n, max(person_seq)::int AS top
         FROM claims WHERE campaign_id = $1 AND ($2::uuid IS NULL OR identity_id = $2) GROUP BY 1, 2, 3
       UNION ALL
       SELECT c.identity_id, NULL, NULL, l.code, count(DISTINCT c.id)::int, NULL
         FROM claims c
         JOIN offer_items i ON i.offer_id = c.offer_id
         JOIN voucher_types t ON t.id = i.voucher_type_id
         CROSS JOIN jsonb_object_keys((SELECT per_person_category_limits FROM campaigns WHERE id = $1)) AS l(code)
        WHERE c.campaign_id = $1 AND ($2::uuid IS NULL OR c.identity_id = $2)
          AND (cardinality(t.category_codes) = 0 OR l.code = ANY(t.category_codes))
        GROUP BY c.identity_id, l.code`,
      [campaignId, identityId],
    )) as { identity_id: string; round_id: string | null; day: string | null; code: string | null; n: number; top: number | null }[];

    const byPerson = new Map<string, Record<string, number>>();
    for (const row of rows) {
      const fields = byPerson.get(row.identity_id) ?? { c: 0 };
      if (row.code === null) {
        fields.c = Math.max(fields.c, row.top!);
        fields[`r:${row.round_id}`] = (fields[`r:${row.round_id}`] ?? 0) + row.n;
        fields[`d:${row.day}`] = (fields[`d:${row.day}`] ?? 0) + row.n;
      } else {
        fields[`g:${row.code}`] = row.n;
      }
      byPerson.set(row.identity_id, fields);
    }
    return byPerson;
  }

  /**
   * Takes one person's counts from Postgres again when their last claim decision (`t`) is older than
   * `decidedBefore` (ms): a claim Redis counted beyond Postgres's was then decided by an api that died
   * before its commit (ClaimWriter sends no claim that late, so none can still commit). Only the
   * claim script moves `t`, so the rewrite is skipped when the person claimed again meanwhile; the
   * rewrite drops `t`, so the next refusal does not ask Postgres again. Answers whether the counts were
   * rewritten (the refused claim is then decided again).
   */
  async settlePerson(campaignId: string, identityId: string, decidedBefore: number): Promise<boolean> {
    const key = personKey(this.config.REDIS_KEY_PREFIX, campaignId, identityId);
    const decidedAt = await this.redis.hget(key, 't');
    if (decidedAt === null || Number(decidedAt) >= decidedBefore) return false;
    const fields = (await this.personCounts(campaignId, identityId)).get(identityId) ?? { c: 0 };
    return ((await this.redis.eval(SETTLE_PERSON, 1, key, decidedAt, ...Object.entries(fields).flat())) as number) >= 0;
  }
}
