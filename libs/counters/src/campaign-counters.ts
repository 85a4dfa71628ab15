import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { Campaign, CampaignStatus, REDIS, RedisClient, Round, RoundOffer } from '@quan/data';
import { budgetKey, campaignTag, FIELD, merchantDayKey, personKey, roundKey } from './keys';
import { RebuildLock, underRebuildLock } from './rebuild-lock';
import { counterScripts } from './scripts';

/** Merchant-day counters are rebuilt for this many business days back (they expire after three). */
const MERCHANT_DAYS_KEPT = 3;

/** A campaign's counters as built under one Redis run. */
export interface CampaignRun {
  campaignId: string;
  runId: string;
}

/** Whether the build of a campaign's redemption counters counted a reversed redemption (see release.lua). */
export interface ReversalCheck {
  build: string;
  counted: boolean;
}

/** A count Redis keeps that reconciliation compares with Postgres: subsidy used of a budget, issued of an offer. */
export type CountProbe =
  | { count: 'budget-used'; campaignId: string }
  | { count: 'issued'; campaignId: string; roundId: string; offerId: string };

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
    @Inject(REDIS) private readonly redis: RedisClient,
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
      for (const [category, limit] of Object.entries(campaign.perPersonCategoryLimits))
        fields[`cl:${category}`] = limit;
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
  rebuild({ campaignId, runId }: CampaignRun): Promise<void> {
    return this.once(`rebuild:${campaignId}:${runId}`, async () => {
      const probe = await this.dataSource.query(`SELECT id FROM rounds WHERE campaign_id = $1 LIMIT 1`, [campaignId]);
      if (probe.length === 0) return;
      const probeKey = roundKey(this.config.REDIS_KEY_PREFIX, campaignId, (probe[0] as { id: string }).id);
      const lock = `${campaignTag(this.config.REDIS_KEY_PREFIX, campaignId)}:rebuild`;
      await underRebuildLock(this.redis, { lock, probeKey, runId }, (held) =>
        this.rebuildClaims(campaignId, runId, held),
      );
    });
  }

  /**
   * Recomputes the redemption counters of a campaign (subsidy used against the budget, and each merchant's
   * recent days) from the redemptions not reversed, and marks them as built under `runId`, as a new `build`.
   * Both are read in one snapshot, which is kept with them (`snap`), so a later reversal can tell whether
   * they counted its redemption (reversalCheck). Voucher keys are not rebuilt: Postgres refuses a second
   * active redemption of a voucher (uq_redemptions_voucher_active).
   */
  rebuildRedemptions({ campaignId, runId }: CampaignRun): Promise<void> {
    const prefix = this.config.REDIS_KEY_PREFIX;
    const key = budgetKey(prefix, campaignId);
    const rebuild = { lock: `${campaignTag(prefix, campaignId)}:rebuild-redemptions`, probeKey: key, runId };
    return this.once(`rebuild-redemptions:${campaignId}:${runId}`, () =>
      underRebuildLock(this.redis, rebuild, async (lock) => {
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
        await lock.write(
          new Map(
            days.map((row) => [
              merchantDayKey(prefix, campaignId, row.merchant_id, row.day),
              { n: row.n, fen: row.fen },
            ]),
          ),
          MERCHANT_DAYS_KEPT * 86400000,
        );
        await lock.write(
          new Map([
            [
              key,
              { cap: campaign.budget_fen, used: campaign.used, run: runId, build: randomUUID(), snap: campaign.snap },
            ],
          ]),
        );
      }),
    );
  }

  /**
   * For a reversed redemption: the build of the campaign's redemption counters under `runId` (rebuilt first
   * when they are fenced), and whether the snapshot they were rebuilt from counted it, i.e. its commit was
   * visible there and its reversal was not. Null when the counters cannot be had under `runId` now.
   */
  async reversalCheck({
    campaignId,
    runId,
    redemptionId,
  }: CampaignRun & { redemptionId: string }): Promise<ReversalCheck | null> {
    const key = budgetKey(this.config.REDIS_KEY_PREFIX, campaignId);
    let [run, build, snap] = await this.redis.hmget(key, FIELD.run, FIELD.build, FIELD.snap);
    if (run !== runId) {
      await this.rebuildRedemptions({ campaignId, runId });
      [run, build, snap] = await this.redis.hmget(key, FIELD.run, FIELD.build, FIELD.snap);
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

  /**
   * Each count as Redis has it (0 when absent), or null where its counters are not built (never prepared,
   * or fenced after a Redis restart until rebuilt: no `run`).
   */
  async builtCounts(probes: readonly CountProbe[]): Promise<(number | null)[]> {
    const prefix = this.config.REDIS_KEY_PREFIX;
    // Sent together (auto-pipelined per server): the campaigns may sit on different masters of a cluster.
    const replies = await Promise.all(
      probes.map((probe) =>
        probe.count === 'budget-used'
          ? this.redis.hmget(budgetKey(prefix, probe.campaignId), FIELD.run, FIELD.used)
          : this.redis.hmget(roundKey(prefix, probe.campaignId, probe.roundId), FIELD.run, FIELD.issued(probe.offerId)),
      ),
    );
    return replies.map(([run, actual]) => (run === null ? null : Number(actual ?? 0)));
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
  private async personCounts(
    campaignId: string,
    identityId: string | null = null,
  ): Promise<Map<string, Record<string, number>>> {
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
    )) as {
      identity_id: string;
      round_id: string | null;
      day: string | null;
      code: string | null;
      n: number;
      top: number | null;
    }[];

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
  async settlePerson({
    campaignId,
    identityId,
    decidedBefore,
  }: {
    campaignId: string;
    identityId: string;
    decidedBefore: number;
  }): Promise<boolean> {
    const key = personKey(this.config.REDIS_KEY_PREFIX, campaignId, identityId);
    const decidedAt = await this.redis.hget(key, FIELD.decidedAt);
    if (decidedAt === null || Number(decidedAt) >= decidedBefore) return false;
    const fields = (await this.personCounts(campaignId, identityId)).get(identityId) ?? { c: 0 };
    const settled = await counterScripts(this.redis)['settle-person'](key, decidedAt, ...Object.entries(fields).flat());
    return (settled as number) >= 0;
  }
}
