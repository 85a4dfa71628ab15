import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import { BUSINESS_TIME_ZONE } from '@quan/domain';

/** A redemption or its reversal, as the outbox announces it. */
export interface ReportEvent {
  redemptionId: string;
  kind: 'redeemed' | 'reversed';
}

/** Redemptions per statement of a catch-up, and claims per transaction: each well inside the statement timeout. */
const CATCH_UP_CHUNK = 10_000;
const CLAIMS_STEP_MS = 3600 * 1000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';

const FIGURES = 'redemptions, reversals, order_total_fen, discount_fen, subsidy_fen, last_event_at';
const MERCHANT_KEYS = ['campaign_id', 'business_day', 'merchant_id'];

/** Adds the `moves` of the statement below to the rows of `table` keyed by `keys` (`copied`: columns taken along). */
const upsertMoves = (table: string, keys: string[], copied: string[] = []) => `
  INSERT INTO ${table} AS d (${[...keys, ...copied].join(', ')}, ${FIGURES})
  SELECT ${[...keys, ...copied.map((column) => `min(${column})`)].join(', ')}, sum(sign),
         count(*) FILTER (WHERE kind = 'reversed'), sum(sign * order_amount_fen), sum(sign * discount_fen),
         sum(sign * subsidy_fen), max(at)
    FROM moves GROUP BY ${keys.join(', ')}
  ON CONFLICT (${keys.join(', ')}) DO UPDATE SET
    redemptions = d.redemptions + EXCLUDED.redemptions,
    reversals = d.reversals + EXCLUDED.reversals,
    order_total_fen = d.order_total_fen + EXCLUDED.order_total_fen,
    discount_fen = d.discount_fen + EXCLUDED.discount_fen,
    subsidy_fen = d.subsidy_fen + EXCLUDED.subsidy_fen,
    last_event_at = greatest(d.last_event_at, EXCLUDED.last_event_at)`;

/**
 * Folds the events given ($1 redemption ids, $2 kinds) into report_redemption_days and report_area_days in
 * one statement: the events not folded before are recorded in report_folded_events (its primary key makes a
 * redelivered event add nothing), then their redemptions are added to (a redemption) or taken from (a
 * reversal) the rows of their campaign and day, by merchant and by county and category. All of it commits
 * together, so an event is counted exactly once whatever retries or replicas do, and both tables agree.
 */
const FOLD = `
  WITH folded AS (
    INSERT INTO report_folded_events (redemption_id, kind) SELECT * FROM unnest($1::uuid[], $2::text[])
    ON CONFLICT DO NOTHING
    RETURNING redemption_id, kind
  ), moves AS (
    SELECT r.campaign_id, r.business_day, r.merchant_id, m.county_code, m.category_code, f.kind,
           CASE f.kind WHEN 'redeemed' THEN 1 ELSE -1 END AS sign, r.order_amount_fen, r.discount_fen, r.subsidy_fen,
           CASE f.kind WHEN 'redeemed' THEN r.redeemed_at ELSE r.reversed_at END AS at
      FROM folded f JOIN redemptions r ON r.id = f.redemption_id JOIN merchants m ON m.id = r.merchant_id
     WHERE f.kind = 'redeemed' OR r.reversed_at IS NOT NULL
  ), by_merchant AS (
    ${upsertMoves('report_redemption_days', MERCHANT_KEYS, ['county_code', 'category_code'])}
  )
  ${upsertMoves('report_area_days', ['campaign_id', 'business_day', 'county_code', 'category_code'])}`;

/**
 * Keeps the reports' aggregates, in the worker. Redemptions and reversals arrive as outbox events through
 * the settlement queue (`fold`); claims have no event (the claim path writes none, for speed), so they are
 * counted by `foldClaims`, set-based, from the claims committed between a watermark and a time before
 * which no claim can still commit. `catchUp` folds every redemption not folded yet: the first time
 * (rows older than the reports) and for rows written without an outbox event (demo seed, benches).
 */
@Injectable()
export class ReportFolder {
  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  /** Folds the events in; returns how many aggregate rows changed (0 when every event was folded before). */
  async fold(events: ReportEvent[]): Promise<number> {
    if (events.length === 0) return 0;
    const result = await this.dataSource.query(FOLD, [events.map((e) => e.redemptionId), events.map((e) => e.kind)]);
    return rowCount(result);
  }

  /**
   * Folds in every redemption and reversal not folded yet, in chunks of the primary key (each its own
   * statement, so none runs into the statement timeout; the events folded make a chunk done twice harmless).
   * Once: later calls find the watermark and do nothing, unless `force` (after rows were written without
   * events). Past `budgetMs` it stops after the chunk in hand and keeps its place, so the worker's job never
   * holds up the other jobs of its queue for long; the next call goes on from there.
   */
  async catchUp(force = false, budgetMs = Infinity): Promise<number> {
    const deadline = Date.now() + budgetMs;
    const [state]: { done: boolean; position: string | null }[] = await this.dataSource.query(
      `SELECT at > '-infinity' AS done, position FROM report_watermarks WHERE name = 'redemptions'`,
    );
    if (state?.done && !force) return 0;
    let changed = 0;
    for (let after = (!force && state?.position) || FIRST_ID; ;) {
      const rows: { id: string; reversed: boolean }[] = await this.dataSource.query(
        `SELECT id, reversed_at IS NOT NULL AS reversed FROM redemptions WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, CATCH_UP_CHUNK],
      );
      if (rows.length === 0) break;
      changed += await this.fold(
        rows.flatMap((row): ReportEvent[] => [
          { redemptionId: row.id, kind: 'redeemed' },
          ...(row.reversed ? [{ redemptionId: row.id, kind: 'reversed' as const }] : []),
        ]),
      );
      after = rows[rows.length - 1].id;
      if (Date.now() > deadline) {
        await this.dataSource.query(
          `INSERT INTO report_watermarks (name, at, position) VALUES ('redemptions', '-infinity', $1)
           ON CONFLICT (name) DO UPDATE SET position = $1`,
          [after],
        );
        return changed;
      }
    }
    await this.dataSource.query(
      `INSERT INTO report_watermarks (name, at) VALUES ('redemptions', now())
       ON CONFLICT (name) DO UPDATE SET at = now(), position = NULL`,
    );
    return changed;
  }

  /**
   * Counts the claims committed since the last call. A claim is decided (claimed_at) before it commits, and
   * ClaimWriter gives up on any claim not committed within CLAIM_UNCOMMITTED_AFTER_MS of its decision, so
   * claims before `through` (by default that long ago) are all committed: each is counted exactly once.
   * An hour of claims per transaction, the watermark's row locked so that replicas take turns.
   */
  async foldClaims(through = new Date(Date.now() - this.config.CLAIM_UNCOMMITTED_AFTER_MS)): Promise<number> {
    let changed = 0;
    for (;;) {
      const step = await this.dataSource.transaction(async (manager) => {
        const from = (await this.lockWatermark(manager, 'claims')) ?? (await this.firstClaimAt(manager)) ?? through;
        if (through <= from) {
          await this.setWatermark(manager, 'claims', from);
          return null;
        }
        const to = new Date(Math.min(through.getTime(), from.getTime() + CLAIMS_STEP_MS));
        const rows = rowCount(
          await manager.query(
            `WITH counted AS (
             SELECT c.campaign_id, (c.claimed_at AT TIME ZONE '${BUSINESS_TIME_ZONE}')::date AS business_day,
                    count(*)::int AS claims, sum(o.vouchers)::int AS vouchers
               FROM claims c
               JOIN (SELECT offer_id, sum(quantity) AS vouchers FROM offer_items GROUP BY offer_id) o
                 ON o.offer_id = c.offer_id
              WHERE c.claimed_at >= $1 AND c.claimed_at < $2
              GROUP BY 1, 2
           )
           INSERT INTO report_claim_days AS d (campaign_id, business_day, claims, vouchers_issued)
           SELECT campaign_id, business_day, claims, vouchers FROM counted
           ON CONFLICT (campaign_id, business_day) DO UPDATE SET
             claims = d.claims + EXCLUDED.claims, vouchers_issued = d.vouchers_issued + EXCLUDED.vouchers_issued`,
            [from, to],
          ),
        );
        await this.setWatermark(manager, 'claims', to);
        return rows;
      });
      if (step === null) return changed;
      changed += step;
    }
  }

  /** Where the first count starts: the oldest claim (a scan, once). */
  private async firstClaimAt(manager: EntityManager): Promise<Date | null> {
    const [row]: { at: Date | null }[] = await manager.query(`SELECT min(claimed_at) AS at FROM claims`);
    return row.at;
  }

  /** The watermark's time, its row locked so that replicas catching up at once take turns; null when none yet. */
  private async lockWatermark(manager: EntityManager, name: string): Promise<Date | null> {
    await manager.query(`INSERT INTO report_watermarks (name, at) VALUES ($1, '-infinity') ON CONFLICT DO NOTHING`, [
      name,
    ]);
    const [row]: { at: Date | null }[] = await manager.query(
      `SELECT CASE WHEN at = '-infinity' THEN NULL ELSE at END AS at FROM report_watermarks WHERE name = $1 FOR UPDATE`,
      [name],
    );
    return row.at;
  }

  private async setWatermark(manager: EntityManager, name: string, at: Date): Promise<void> {
    await manager.query(`UPDATE report_watermarks SET at = $2 WHERE name = $1`, [name, at]);
  }
}

/** TypeORM answers a data-changing statement without RETURNING as [rows, count]. */
function rowCount(result: unknown): number {
  return Array.isArray(result) && typeof result[1] === 'number' ? result[1] : 0;
}
