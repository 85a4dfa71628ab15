import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import { BUSINESS_TIME_ZONE } from '@quan/domain';

/** A redemption or its reversal, as the outbox announces it. */
export interface ReportEvent {
  redemptionId: string;
  kind: 'redeemed' | 'reversed';
}

/** Every redemption and reversal committed so far, as events: the source of a catch-up. */
const EVERY_EVENT = `SELECT id, 'redeemed' FROM redemptions UNION ALL SELECT id, 'reversed' FROM redemptions WHERE reversed_at IS NOT NULL`;
const GIVEN_EVENTS = `SELECT * FROM unnest($1::uuid[], $2::text[])`;

/**
 * Folds events into report_redemption_days in one statement: the events not folded before are recorded in
 * report_folded_events (its primary key makes a redelivered event add nothing), then their redemptions
 * are added to (a redemption) or taken from (a reversal) the row of their campaign, day and merchant.
 * Both changes commit together, so an event is counted exactly once whatever retries or replicas do.
 */
const foldSql = (events: string) => `
  WITH folded AS (
    INSERT INTO report_folded_events (redemption_id, kind) ${events}
    ON CONFLICT DO NOTHING
    RETURNING redemption_id, kind
  ), moves AS (
    SELECT r.campaign_id, r.business_day, r.merchant_id, m.county_code, m.category_code, f.kind,
           CASE f.kind WHEN 'redeemed' THEN 1 ELSE -1 END AS sign, r.order_amount_fen, r.discount_fen, r.subsidy_fen,
           CASE f.kind WHEN 'redeemed' THEN r.redeemed_at ELSE r.reversed_at END AS at
      FROM folded f JOIN redemptions r ON r.id = f.redemption_id JOIN merchants m ON m.id = r.merchant_id
     WHERE f.kind = 'redeemed' OR r.reversed_at IS NOT NULL
  )
  INSERT INTO report_redemption_days AS d
         (campaign_id, business_day, merchant_id, county_code, category_code, redemptions, reversals,
          order_total_fen, discount_fen, subsidy_fen, last_event_at)
  SELECT campaign_id, business_day, merchant_id, min(county_code), min(category_code), sum(sign),
         count(*) FILTER (WHERE kind = 'reversed'), sum(sign * order_amount_fen), sum(sign * discount_fen),
         sum(sign * subsidy_fen), max(at)
    FROM moves GROUP BY campaign_id, business_day, merchant_id
  ON CONFLICT (campaign_id, business_day, merchant_id) DO UPDATE SET
    redemptions = d.redemptions + EXCLUDED.redemptions,
    reversals = d.reversals + EXCLUDED.reversals,
    order_total_fen = d.order_total_fen + EXCLUDED.order_total_fen,
    discount_fen = d.discount_fen + EXCLUDED.discount_fen,
    subsidy_fen = d.subsidy_fen + EXCLUDED.subsidy_fen,
    last_event_at = greatest(d.last_event_at, EXCLUDED.last_event_at)`;

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
    const result = await this.dataSource.query(foldSql(GIVEN_EVENTS), [events.map((e) => e.redemptionId), events.map((e) => e.kind)]);
    return rowCount(result);
  }

  /**
   * Folds every redemption and reversal not folded yet, once: later calls find the watermark and do nothing,
   * unless `force` (after rows were written without events).
   */
  async catchUp(force = false): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const done = await this.lockWatermark(manager, 'redemptions');
      if (done && !force) return 0;
      const changed = rowCount(await manager.query(foldSql(EVERY_EVENT)));
      await this.setWatermark(manager, 'redemptions', new Date());
      return changed;
    });
  }

  /**
   * Counts the claims committed since the last call. A claim is decided (claimed_at) before it commits, and
   * ClaimWriter gives up on any claim not committed within CLAIM_UNCOMMITTED_AFTER_MS of its decision, so
   * claims before `through` (by default that long ago) are all committed: each is counted exactly once.
   */
  async foldClaims(through = new Date(Date.now() - this.config.CLAIM_UNCOMMITTED_AFTER_MS)): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const from = (await this.lockWatermark(manager, 'claims')) ?? new Date(0);
      if (through <= from) return 0;
      const changed = rowCount(await manager.query(
        `WITH counted AS (
           SELECT c.campaign_id, (c.claimed_at AT TIME ZONE '${BUSINESS_TIME_ZONE}')::date AS business_day,
                  count(*)::int AS claims, sum(o.vouchers)::int AS vouchers
             FROM claims c JOIN (SELECT offer_id, sum(quantity) AS vouchers FROM offer_items GROUP BY offer_id) o ON o.offer_id = c.offer_id
            WHERE c.claimed_at >= $1 AND c.claimed_at < $2
            GROUP BY 1, 2
         )
         INSERT INTO report_claim_days AS d (campaign_id, business_day, claims, vouchers_issued)
         SELECT campaign_id, business_day, claims, vouchers FROM counted
         ON CONFLICT (campaign_id, business_day) DO UPDATE SET
           claims = d.claims + EXCLUDED.claims, vouchers_issued = d.vouchers_issued + EXCLUDED.vouchers_issued`,
        [from, through],
      ));
      await this.setWatermark(manager, 'claims', through);
      return changed;
    });
  }

  /** The watermark's time, its row locked so that replicas catching up at once take turns; null when none yet. */
  private async lockWatermark(manager: EntityManager, name: string): Promise<Date | null> {
    await manager.query(`INSERT INTO report_watermarks (name, at) VALUES ($1, '-infinity') ON CONFLICT DO NOTHING`, [name]);
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
