import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import { businessDayStart } from '@quan/domain';

export interface SettlementOutcome {
  businessDay: string;
  merchants: number;
  /** Lines this run added (a re-run adds only what an interrupted run left out). */
  redemptionLines: number;
  adjustmentLines: number;
}

/** Lines into the open statements `open` (CTE of id, merchant_id) of day $2: redemptions of that day, not reversed. */
const REDEMPTION_LINES = `
  INSERT INTO settlement_lines (redemption_id, kind, statement_id, amount_fen, redemption_day)
  SELECT r.id, 'redemption', o.id, r.subsidy_fen, r.business_day
    FROM open o JOIN redemptions r ON r.merchant_id = o.merchant_id AND r.business_day = $2 AND r.reversed_at IS NULL
  ON CONFLICT DO NOTHING RETURNING 1`;

/** Adjustments into `open`: reversals up to day $2 of redemptions already on a statement, not yet adjusted. */
const ADJUSTMENT_LINES = `
  INSERT INTO settlement_lines (redemption_id, kind, statement_id, amount_fen, redemption_day)
  SELECT r.id, 'adjustment', o.id, -l.amount_fen, l.redemption_day
    FROM open o
    JOIN redemptions r ON r.merchant_id = o.merchant_id AND r.reversed_at IS NOT NULL AND r.reversal_business_day <= $2
    JOIN settlement_lines l ON l.redemption_id = r.id AND l.kind = 'redemption'
  ON CONFLICT DO NOTHING RETURNING 1`;

/**
 * Settlement (T+1): per merchant and business day one statement, with one line per redemption of that
 * day (its subsidy) and one adjustment line per reversal of a redemption that an earlier statement (or
 * this one) already carries. Everything is set-based SQL; the primary key of settlement_lines
 * (redemption, kind) and ON CONFLICT DO NOTHING make every run idempotent, so a run killed half-way and
 * run again (or two runs at once) leaves exactly one line per redemption. Merchants are settled in
 * chunks of SETTLEMENT_MERCHANTS_PER_CHUNK, one transaction each, so a killed run loses one chunk's work.
 */
@Injectable()
export class SettlementRun {
  private readonly logger = new Logger(SettlementRun.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly config: AppConfig,
  ) {}

  async settleDay(day: string): Promise<SettlementOutcome> {
    businessDayStart(day);
    const merchants: { merchant_id: string }[] = await this.dataSource.query(
      `SELECT merchant_id FROM redemptions WHERE business_day = $1 AND reversed_at IS NULL
       UNION
       SELECT r.merchant_id FROM redemptions r
         WHERE r.reversed_at IS NOT NULL AND r.reversal_business_day <= $1
           AND EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id AND l.kind = 'redemption')
           AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id AND l.kind = 'adjustment')
       ORDER BY 1`,
      [day],
    );
    const outcome: SettlementOutcome = {
      businessDay: day,
      merchants: merchants.length,
      redemptionLines: 0,
      adjustmentLines: 0,
    };
    const size = this.config.SETTLEMENT_MERCHANTS_PER_CHUNK;
    for (let start = 0; start < merchants.length; start += size) {
      const chunk = merchants.slice(start, start + size).map((m) => m.merchant_id);
      const added = await this.dataSource.transaction((manager) => this.settleMerchants(manager, day, chunk, true));
      outcome.redemptionLines += added.redemptionLines;
      outcome.adjustmentLines += added.adjustmentLines;
    }
    await this.dataSource.query(
      `INSERT INTO settled_days (business_day, settled_at) VALUES ($1, now()) ON CONFLICT (business_day) DO UPDATE SET settled_at = now()`,
      [day],
    );
    this.logger.log(outcome, 'business day settled');
    return outcome;
  }

  /**
   * A reversal announced by the outbox: if the redemption is already on a statement, its adjustment goes
   * at once into the merchant's open statement of the reversal's day (made if missing). If that statement
   * is no longer open, the next day's run adds it. Idempotent like the daily run.
   */
  async adjustReversal(redemptionId: string, merchantId: string, reversalDay: string): Promise<number> {
    const [settled]: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM settlement_lines WHERE redemption_id = $1 AND kind = 'redemption'`,
      [redemptionId],
    );
    if (!settled) return 0;
    const added = await this.dataSource.transaction((manager) =>
      this.settleMerchants(manager, reversalDay, [merchantId], false),
    );
    return added.adjustmentLines;
  }

  private async settleMerchants(manager: EntityManager, day: string, merchantIds: string[], withRedemptions: boolean) {
    // Runs of the same day take turns per chunk; different days proceed in parallel.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('settlement:' || $1))`, [day]);
    await manager.query(
      `INSERT INTO settlement_statements (merchant_id, business_day) SELECT unnest($1::uuid[]), $2 ON CONFLICT DO NOTHING`,
      [merchantIds, day],
    );
    const redemptionLines = withRedemptions ? await this.insertLines(manager, REDEMPTION_LINES, merchantIds, day) : 0;
    const adjustmentLines = await this.insertLines(manager, ADJUSTMENT_LINES, merchantIds, day);
    await manager.query(
      `UPDATE settlement_statements s
          SET total_fen = t.total, redemption_count = t.redemptions, adjustment_count = t.adjustments
         FROM (SELECT l.statement_id, sum(l.amount_fen) AS total,
                      count(*) FILTER (WHERE l.kind = 'redemption') AS redemptions, count(*) FILTER (WHERE l.kind = 'adjustment') AS adjustments
                 FROM settlement_lines l JOIN settlement_statements st ON st.id = l.statement_id
                WHERE st.merchant_id = ANY($1::uuid[]) AND st.business_day = $2 AND st.status = 'open'
                GROUP BY l.statement_id) t
        WHERE s.id = t.statement_id`,
      [merchantIds, day],
    );
    return { redemptionLines, adjustmentLines };
  }

  /**
   * Runs one of the line INSERTs over the merchants' open statements of the day and counts the rows added. The
   * statements are locked first, so a concurrent submit waits for this chunk and lines never land in a closed one.
   */
  private async insertLines(
    manager: EntityManager,
    insert: string,
    merchantIds: string[],
    day: string,
  ): Promise<number> {
    const [{ added }]: { added: number }[] = await manager.query(
      `WITH open AS (SELECT id, merchant_id FROM settlement_statements
                      WHERE merchant_id = ANY($1::uuid[]) AND business_day = $2 AND status = 'open' FOR UPDATE),
            inserted AS (${insert})
       SELECT count(*)::int AS added FROM inserted`,
      [merchantIds, day],
    );
    return added;
  }
}
