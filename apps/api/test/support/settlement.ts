import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';

export type StatementStage = 'open' | 'submitted' | 'approved';

let days = 0;

/**
 * A statement of `merchantId` for a settled business day of its own (each later than the one before), with one
 * line of `amountFen` (15.00 yuan; a negative amount is an adjustment for a reversal), brought to `stage` by
 * finance users who are not the demo `finance` account (so it may submit or approve it).
 */
export async function statementAt(
  db: DataSource,
  merchantId: string,
  stage: StatementStage,
  amountFen = 1500,
): Promise<string> {
  const kind = amountFen >= 0 ? 'redemption' : 'adjustment';
  days += 1;
  const day = new Date(Date.UTC(2025, 0, 1) + days * 86400000).toISOString().slice(0, 10);
  return db.transaction(async (m) => {
    await m.query(`INSERT INTO settled_days (business_day, settled_at) VALUES ($1, now()) ON CONFLICT DO NOTHING`, [
      day,
    ]);
    const [{ id }]: { id: string }[] = await m.query(
      `INSERT INTO settlement_statements (merchant_id, business_day, total_fen, redemption_count, adjustment_count) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
      [merchantId, day, amountFen, kind === 'redemption' ? 1 : 0, kind === 'adjustment' ? 1 : 0],
    );
    await m.query(
      `INSERT INTO settlement_lines (redemption_id, kind, statement_id, amount_fen, redemption_day) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), kind, id, amountFen, day],
    );
    if (stage !== 'open')
      await m.query(
        `UPDATE settlement_statements SET status = 'submitted', submitted_by_id = $2, submitted_at = now() WHERE id = $1`,
        [id, randomUUID()],
      );
    if (stage === 'approved')
      await m.query(
        `UPDATE settlement_statements SET status = 'approved', approved_by_id = $2, approved_at = now() WHERE id = $1`,
        [id, randomUUID()],
      );
    return id;
  });
}

/** A payout batch made by `financeId` with one pending transfer to `merchantId`, for one approved statement. */
export async function payoutBatchOf(
  db: DataSource,
  merchantId: string,
  financeId: string,
): Promise<{ batchId: string; transferId: string; statementId: string }> {
  const statementId = await statementAt(db, merchantId, 'approved');
  const [{ id: batchId }]: { id: string }[] = await db.query(
    `INSERT INTO payout_batches (created_by_id) VALUES ($1) RETURNING id`,
    [financeId],
  );
  const [{ id: transferId }]: { id: string }[] = await db.query(
    `INSERT INTO payout_transfers (batch_id, merchant_id, amount_fen, reference) VALUES ($1, $2, 1500, $3) RETURNING id`,
    [batchId, merchantId, `QUAN-${statementId}`],
  );
  await db.query(`INSERT INTO payout_items (statement_id, transfer_id, amount_fen) VALUES ($1, $2, 1500)`, [
    statementId,
    transferId,
  ]);
  return { batchId, transferId, statementId };
}
