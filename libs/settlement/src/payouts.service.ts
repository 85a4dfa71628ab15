import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { DomainError, ErrorCode, fen } from '@quan/domain';
import { PayoutStatus } from '@quan/data';
import { recordAudit } from '@quan/platform';
import { NewPayoutBatchDto, PayoutBatchDto, PayoutOutcomeDto } from './settlement.dto';

interface ItemRow {
  statement_id: string;
  merchant_id: string;
  business_day: string;
  amount_fen: string;
  reference: string;
  status: PayoutStatus;
  merchant_name: string;
  licence_no: string;
  bank_name: string;
  bank_account_name: string;
  bank_account_no: string;
}

const CSV_COLUMNS = ['merchant', 'licence_no', 'bank_name', 'bank_account_name', 'bank_account_no', 'amount_fen', 'reference', 'business_day'];

/**
 * A CSV field, always quoted. A text starting with = + - @ (or a tab/carriage return) is prefixed with
 * an apostrophe, so a merchant name chosen at enrolment cannot run as a formula in the bank's spreadsheet.
 */
export function csvField(value: string): string {
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return `"${text.replace(/"/g, '""')}"`;
}

/**
 * Payout batches: every approved statement with money owed and not yet in a batch goes into a new batch
 * (a statement is paid out at most once: payout_items' primary key), exported as CSV for the bank, and
 * each transfer is then marked paid or failed as the bank reports it.
 */
@Injectable()
export class PayoutsService {
  constructor(private readonly dataSource: DataSource) {}

  create(principal: StaffPrincipal, body: NewPayoutBatchDto): Promise<PayoutBatchDto> {
    return this.dataSource.transaction(async (manager) => {
      const [{ id }]: { id: string }[] = await manager.query(`INSERT INTO payout_batches (created_by_id) VALUES ($1) RETURNING id`, [principal.id]);
      const [{ added }]: { added: number }[] = await manager.query(
        `WITH inserted AS (
           INSERT INTO payout_items (statement_id, batch_id, amount_fen, reference)
           SELECT s.id, $1, s.total_fen, 'QUAN-' || replace(s.id::text, '-', '')
             FROM settlement_statements s
            WHERE s.status = 'approved' AND s.total_fen > 0 AND ($2::date IS NULL OR s.business_day <= $2::date)
              AND NOT EXISTS (SELECT 1 FROM payout_items p WHERE p.statement_id = s.id)
           ON CONFLICT DO NOTHING RETURNING 1)
         SELECT count(*)::int AS added FROM inserted`,
        [id, body.throughDay ?? null],
      );
      if (added === 0) throw new DomainError(ErrorCode.NothingToPay, 'No approved statement is waiting for a payout');
      const batch = await this.find(manager, id);
      await recordAudit(manager, principal, { action: 'settlement.payout_batch.create', entityType: 'payout_batch', entityId: id, before: null, after: batch });
      return batch;
    });
  }

  get(id: string): Promise<PayoutBatchDto> {
    return this.find(this.dataSource.manager, id);
  }

  /** The bank's file: one quoted row per transfer, amounts in integer fen. */
  async csv(id: string): Promise<string> {
    await this.find(this.dataSource.manager, id);
    const rows = await this.items(this.dataSource.manager, id);
    const lines = rows.map((row) =>
      [row.merchant_name, row.licence_no, row.bank_name, row.bank_account_name, row.bank_account_no, row.amount_fen, row.reference, row.business_day].map(csvField).join(','),
    );
    return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
  }

  mark(principal: StaffPrincipal, batchId: string, statementId: string, body: PayoutOutcomeDto): Promise<PayoutBatchDto> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, batchId);
      const item = before.items.find((candidate) => candidate.statementId === statementId);
      if (!item) throw new DomainError(ErrorCode.StatementNotFound, 'No such statement in this batch');
      // An UPDATE answers [rows, affected count].
      const [updated]: [unknown[], number] = await manager.query(
        `UPDATE payout_items SET status = $3, marked_by_id = $4, marked_at = now() WHERE batch_id = $1 AND statement_id = $2 AND status = 'pending' RETURNING 1`,
        [batchId, statementId, body.status, principal.id],
      );
      if (updated.length === 0) throw new DomainError(ErrorCode.PayoutAlreadyMarked, 'This transfer is already marked', { status: item.status });
      const after = await this.find(manager, batchId);
      const itemAfter = after.items.find((candidate) => candidate.statementId === statementId) ?? null;
      await recordAudit(manager, principal, { action: 'settlement.payout_item.mark', entityType: 'payout_item', entityId: statementId, before: item, after: itemAfter });
      return after;
    });
  }

  private async find(manager: EntityManager, id: string): Promise<PayoutBatchDto> {
    const [batch]: { id: string; created_at: Date; created_by_id: string }[] = await manager.query(
      `SELECT id, created_at, created_by_id FROM payout_batches WHERE id = $1`,
      [id],
    );
    if (!batch) throw new DomainError(ErrorCode.PayoutBatchNotFound, 'No such payout batch');
    const items = (await this.items(manager, id)).map((row) => ({
      statementId: row.statement_id,
      merchantId: row.merchant_id,
      businessDay: row.business_day,
      amountFen: fen(row.amount_fen),
      reference: row.reference,
      status: row.status,
    }));
    return {
      id: batch.id,
      createdAt: batch.created_at.toISOString(),
      createdById: batch.created_by_id,
      totalFen: fen(items.reduce((sum, item) => sum + item.amountFen, 0)),
      items,
    };
  }

  private items(manager: EntityManager, batchId: string): Promise<ItemRow[]> {
    return manager.query(
      `SELECT p.statement_id, s.merchant_id, to_char(s.business_day, 'YYYY-MM-DD') AS business_day, p.amount_fen::text, p.reference, p.status,
              m.name AS merchant_name, m.licence_no, m.bank_name, m.bank_account_name, m.bank_account_no
         FROM payout_items p JOIN settlement_statements s ON s.id = p.statement_id JOIN merchants m ON m.id = s.merchant_id
        WHERE p.batch_id = $1 ORDER BY m.name, s.business_day, p.statement_id`,
      [batchId],
    );
  }
}
