import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { businessDayStart, DomainError, ErrorCode, fen } from '@quan/domain';
import { FieldCipher, PayoutStatus, StaffRole } from '@quan/data';
import { csvText, recordAudit } from '@quan/platform';
import {
  NewPayoutBatchDto,
  PayoutBatchDto,
  PayoutBatchPageDto,
  PayoutBatchQueryDto,
  PayoutBatchStatus,
  PayoutOutcomeDto,
  PayoutTransferDto,
} from './settlement.dto';

interface BatchRow {
  id: string;
  created_at: Date;
  created_by_id: string;
}

interface TransferRow {
  id: string;
  merchant_id: string;
  amount_fen: string;
  reference: string;
  status: PayoutStatus;
  merchant_name: string;
  licence_no: string;
  bank_name: string;
  bank_account_name: string;
  bank_account_sealed: string;
  bank_account_masked: string;
  /** The statements it pays, oldest first: [id, business day, total fen]. */
  statements: [string, string, string][];
}

interface BatchListRow extends BatchRow {
  total_fen: string;
  transfer_count: number;
  pending_count: number;
  paid_count: number;
  failed_count: number;
}

const DAY_MS = 24 * 3600 * 1000;

/**
 * Batches (id, created_at, created_by_id) with their transfers' figures, of merchant $1 only when given,
 * made between $2 and $3 (either may be null); `status` is derived from the transfers counted.
 */
const BATCH_FIGURES = `
  SELECT b.id, b.created_at, b.created_by_id, sum(t.amount_fen)::text AS total_fen, count(*)::int AS transfer_count,
         count(*) FILTER (WHERE t.status = 'pending')::int AS pending_count,
         count(*) FILTER (WHERE t.status = 'paid')::int AS paid_count,
         count(*) FILTER (WHERE t.status = 'failed')::int AS failed_count,
         CASE WHEN count(*) FILTER (WHERE t.status = 'pending') > 0 THEN 'pending' ELSE 'completed' END AS status
    FROM payout_batches b JOIN payout_transfers t ON t.batch_id = b.id AND ($1::uuid IS NULL OR t.merchant_id = $1)
   WHERE ($2::timestamptz IS NULL OR b.created_at >= $2) AND ($3::timestamptz IS NULL OR b.created_at < $3)
   GROUP BY b.id`;

/** Pending while any transfer shown awaits the bank's outcome. */
const batchStatus = (transfers: { status: PayoutStatus }[]): PayoutBatchStatus =>
  transfers.some((transfer) => transfer.status === PayoutStatus.Pending)
    ? PayoutBatchStatus.Pending
    : PayoutBatchStatus.Completed;

const CSV_COLUMNS = [
  'merchant',
  'licence_no',
  'bank_name',
  'bank_account_name',
  'bank_account_no',
  'amount_fen',
  'reference',
  'business_days',
];

/** Batch creation is rare and must see the transfers of the batch made just before it: one at a time. */
export const PAYOUT_BATCH_LOCK = "hashtext('quan:payout_batches')";

/**
 * Payout batches: one bank transfer per merchant paying all of its approved statements that no pending or
 * paid transfer covers, when their sum is positive. A statement whose total is zero or negative (more
 * reversed than redeemed) is netted into the merchant's next transfer, so over time a merchant receives
 * exactly the sum of its statements. The batch is exported as CSV for the bank and each transfer is then
 * marked paid or failed; the statements of a failed transfer go into the next batch. Postgres holds a
 * statement in at most one pending or paid transfer (uq_payout_items_live), so nothing is paid twice.
 */
@Injectable()
export class PayoutsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly cipher: FieldCipher,
  ) {}

  create(principal: StaffPrincipal, body: NewPayoutBatchDto): Promise<PayoutBatchDto> {
    return this.dataSource.transaction(async (manager) => {
      await manager.query(`SELECT pg_advisory_xact_lock(${PAYOUT_BATCH_LOCK})`);
      const [{ id }]: { id: string }[] = await manager.query(
        `INSERT INTO payout_batches (created_by_id) VALUES ($1) RETURNING id`,
        [principal.id],
      );
      const [{ transfers }]: { transfers: number }[] = await manager.query(
        `WITH waiting AS (
           SELECT s.id, s.merchant_id, s.total_fen
             FROM settlement_statements s
            WHERE s.status = 'approved' AND ($2::date IS NULL OR s.business_day <= $2::date)
              AND NOT EXISTS (SELECT 1 FROM payout_items p WHERE p.statement_id = s.id AND p.status <> 'failed')
         ), owed AS (
           SELECT merchant_id, sum(total_fen) AS amount_fen, gen_random_uuid() AS transfer_id
             FROM waiting GROUP BY merchant_id HAVING sum(total_fen) > 0
         ), transfers AS (
           INSERT INTO payout_transfers (id, batch_id, merchant_id, amount_fen, reference)
           SELECT transfer_id, $1, merchant_id, amount_fen, 'QUAN-' || replace(transfer_id::text, '-', '') FROM owed
           RETURNING 1
         ), items AS (
           INSERT INTO payout_items (statement_id, transfer_id, amount_fen)
           SELECT w.id, o.transfer_id, w.total_fen FROM waiting w JOIN owed o ON o.merchant_id = w.merchant_id
         )
         SELECT count(*)::int AS transfers FROM transfers`,
        [id, body.throughDay ?? null],
      );
      if (transfers === 0)
        throw new DomainError(
          ErrorCode.NothingToPay,
          'No merchant is owed money by approved statements waiting for a payout',
        );
      const batch = await this.find(manager, id);
      await recordAudit(manager, principal, {
        action: 'settlement.payout_batch.create',
        entityType: 'payout_batch',
        entityId: id,
        before: null,
        after: batch,
      });
      return batch;
    });
  }

  /**
   * Batches newest first, filtered by the business day they were made on and their status. A merchant admin
   * sees the batches holding a transfer to its merchant, with the figures of that transfer only.
   */
  async list(principal: StaffPrincipal, query: PayoutBatchQueryDto): Promise<PayoutBatchPageDto> {
    const ownMerchant = principal.role === StaffRole.MerchantAdmin;
    if (ownMerchant && !principal.merchantId) return { items: [], total: 0, limit: query.limit, offset: query.offset };
    const merchantId = ownMerchant ? principal.merchantId : null;
    const from = query.from ? businessDayStart(query.from) : null;
    const until = query.to ? new Date(businessDayStart(query.to).getTime() + DAY_MS) : null;
    const filters = [merchantId, from, until, query.status ?? null];
    const matching = `WITH batches AS (${BATCH_FIGURES}) SELECT * FROM batches WHERE $4::text IS NULL OR status = $4`;
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM (${matching}) m`,
      filters,
    );
    const rows: (BatchListRow & { status: PayoutBatchStatus })[] = await this.dataSource.query(
      `${matching} ORDER BY created_at DESC, id LIMIT $5 OFFSET $6`,
      [...filters, query.limit, query.offset],
    );
    return {
      items: rows.map((row) => ({
        id: row.id,
        createdAt: row.created_at.toISOString(),
        createdById: row.created_by_id,
        status: row.status,
        totalFen: fen(row.total_fen),
        transferCount: row.transfer_count,
        pendingCount: row.pending_count,
        paidCount: row.paid_count,
        failedCount: row.failed_count,
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }

  /** The whole batch for finance and auditors; a merchant admin sees its merchant's transfer only (404 when none). */
  get(principal: StaffPrincipal, id: string): Promise<PayoutBatchDto> {
    if (principal.role !== StaffRole.MerchantAdmin) return this.find(this.dataSource.manager, id);
    if (!principal.merchantId) throw new DomainError(ErrorCode.PayoutBatchNotFound, 'No such payout batch');
    return this.find(this.dataSource.manager, id, principal.merchantId);
  }

  /**
   * The bank's file: one quoted row per transfer, amounts in integer fen. Finance, who sends it to the bank,
   * gets the account numbers whole; an auditor reading it sees them masked, as everywhere else.
   */
  async csv(principal: StaffPrincipal, id: string): Promise<string> {
    const { rows } = await this.load(this.dataSource.manager, id);
    const accountNo = (row: TransferRow) =>
      principal.role === StaffRole.Finance
        ? this.cipher.open('merchants.bank_account', row.bank_account_sealed)
        : row.bank_account_masked;
    const lines = rows.map((row) =>
      [
        row.merchant_name,
        row.licence_no,
        row.bank_name,
        row.bank_account_name,
        accountNo(row),
        row.amount_fen,
        row.reference,
        row.statements.map(([, day]) => day).join(' '),
      ]
        .map(csvText)
        .join(','),
    );
    return [CSV_COLUMNS.join(','), ...lines].join('\r\n') + '\r\n';
  }

  mark(
    principal: StaffPrincipal,
    batchId: string,
    transferId: string,
    body: PayoutOutcomeDto,
  ): Promise<PayoutBatchDto> {
    return this.dataSource.transaction(async (manager) => {
      const before = await this.find(manager, batchId);
      const transfer = before.transfers.find((candidate) => candidate.id === transferId);
      if (!transfer) throw new DomainError(ErrorCode.PayoutTransferNotFound, 'No such transfer in this batch');
      // The items follow their transfer in the same statement, so uq_payout_items_live frees them exactly when it fails.
      const [{ marked }]: { marked: number }[] = await manager.query(
        `WITH marked AS (
           UPDATE payout_transfers SET status = $3, marked_by_id = $4, marked_at = now()
            WHERE batch_id = $1 AND id = $2 AND status = 'pending' RETURNING id
         ), items AS (
           UPDATE payout_items i SET status = $3 FROM marked WHERE i.transfer_id = marked.id
         )
         SELECT count(*)::int AS marked FROM marked`,
        [batchId, transferId, body.status, principal.id],
      );
      if (marked === 0)
        throw new DomainError(ErrorCode.PayoutAlreadyMarked, 'This transfer is already marked', {
          transferStatus: transfer.status,
        });
      const after = await this.find(manager, batchId);
      const transferAfter = after.transfers.find((candidate) => candidate.id === transferId) ?? null;
      await recordAudit(manager, principal, {
        action: 'settlement.payout_transfer.mark',
        entityType: 'payout_transfer',
        entityId: transferId,
        before: transfer,
        after: transferAfter,
      });
      return after;
    });
  }

  private async find(manager: EntityManager, id: string, merchantId: string | null = null): Promise<PayoutBatchDto> {
    const { batch, rows } = await this.load(manager, id, merchantId);
    const transfers: PayoutTransferDto[] = rows.map((row) => ({
      id: row.id,
      merchantId: row.merchant_id,
      merchantName: row.merchant_name,
      amountFen: fen(row.amount_fen),
      reference: row.reference,
      status: row.status,
      statements: row.statements.map(([statementId, businessDay, amountFen]) => ({
        statementId,
        businessDay,
        amountFen: fen(amountFen),
      })),
    }));
    return {
      id: batch.id,
      createdAt: batch.created_at.toISOString(),
      createdById: batch.created_by_id,
      status: batchStatus(transfers),
      totalFen: fen(transfers.reduce((sum, transfer) => sum + transfer.amountFen, 0)),
      transfers,
    };
  }

  /** The batch and its transfers (a merchant's only, when named); 404 when there is no batch, or none of its transfers. */
  private async load(
    manager: EntityManager,
    id: string,
    merchantId: string | null = null,
  ): Promise<{ batch: BatchRow; rows: TransferRow[] }> {
    const [batch]: BatchRow[] = await manager.query(
      `SELECT id, created_at, created_by_id FROM payout_batches WHERE id = $1`,
      [id],
    );
    const rows = batch ? await this.transfers(manager, id, merchantId) : [];
    if (!batch || (merchantId && rows.length === 0))
      throw new DomainError(ErrorCode.PayoutBatchNotFound, 'No such payout batch');
    return { batch, rows };
  }

  private transfers(manager: EntityManager, batchId: string, merchantId: string | null): Promise<TransferRow[]> {
    return manager.query(
      `SELECT t.id, t.merchant_id, t.amount_fen::text, t.reference, t.status,
              m.name AS merchant_name, m.licence_no, m.bank_name, m.bank_account_name, m.bank_account_sealed, m.bank_account_masked,
              (SELECT coalesce(json_agg(json_build_array(s.id, to_char(s.business_day, 'YYYY-MM-DD'), i.amount_fen::text) ORDER BY s.business_day, s.id), '[]')
                 FROM payout_items i JOIN settlement_statements s ON s.id = i.statement_id WHERE i.transfer_id = t.id) AS statements
         FROM payout_transfers t JOIN merchants m ON m.id = t.merchant_id
        WHERE t.batch_id = $1 AND ($2::uuid IS NULL OR t.merchant_id = $2) ORDER BY m.name, t.id`,
      [batchId, merchantId],
    );
  }
}
