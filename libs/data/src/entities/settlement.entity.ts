import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Fen } from '@quan/domain';
import { fenColumn } from '../columns';

/** A statement is generated open, submitted by one finance user, approved by another; approved is final. */
export enum StatementStatus {
  Open = 'open',
  Submitted = 'submitted',
  Approved = 'approved',
}

export enum SettlementLineKind {
  /** The subsidy of a redemption, owed to the merchant. */
  Redemption = 'redemption',
  /** A reversal of a redemption already on a statement: the subsidy taken back. */
  Adjustment = 'adjustment',
}

/**
 * What the bureau owes one merchant for one business day (T+1): the sum of its lines. Lines change only
 * while the statement is open (`tr_settlement_lines_open`); an approved statement changes no more
 * (`tr_settlement_statements_final`); the approver is never the submitter (`ck_settlement_statements_checker`).
 */
@Entity('settlement_statements')
@Index('uq_settlement_statements_merchant_day', ['merchantId', 'businessDay'], { unique: true })
@Index('ix_settlement_statements_day', ['businessDay', 'status'])
@Check('ck_settlement_statements_checker', `"approved_by_id" IS NULL OR "approved_by_id" <> "submitted_by_id"`)
@Check(
  'ck_settlement_statements_status',
  `("status" = 'open') = ("submitted_by_id" IS NULL) AND ("status" = 'approved') = ("approved_by_id" IS NOT NULL)`,
)
@Check('ck_settlement_statements_counts', `"redemption_count" >= 0 AND "adjustment_count" >= 0`)
export class SettlementStatement {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  merchantId!: string;

  @Column({ type: 'date' })
  businessDay!: string;

  @Column({ type: 'enum', enum: StatementStatus, enumName: 'statement_status', default: StatementStatus.Open })
  status!: StatementStatus;

  /** Σ of the lines: subsidies minus adjustments. */
  @Column(fenColumn({ default: 0 }))
  totalFen!: Fen;

  @Column({ type: 'integer', default: 0 })
  redemptionCount!: number;

  @Column({ type: 'integer', default: 0 })
  adjustmentCount!: number;

  @CreateDateColumn({ type: 'timestamptz' })
  generatedAt!: Date;

  @Column({ type: 'uuid', nullable: true })
  submittedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  submittedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  approvedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;
}

/**
 * One redemption's subsidy on a statement, or the adjustment of its reversal. The primary key
 * (redemption, kind) is what makes every redeemed fen appear on exactly one line, and every reversal
 * on at most one adjustment, however often and however concurrently settlement runs.
 */
@Entity('settlement_lines')
@Index('ix_settlement_lines_statement', ['statementId'])
@Check('ck_settlement_lines_sign', `("kind" = 'redemption') = ("amount_fen" >= 0)`)
export class SettlementLine {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId!: string;

  @PrimaryColumn({ type: 'enum', enum: SettlementLineKind, enumName: 'settlement_line_kind' })
  kind!: SettlementLineKind;

  @Column({ type: 'uuid' })
  statementId!: string;

  /** Positive for a redemption, negative for an adjustment. */
  @Column(fenColumn())
  amountFen!: Fen;

  /** The business day of the redemption itself (an adjustment's statement is of a later day). */
  @Column({ type: 'date' })
  redemptionDay!: string;
}

export enum PayoutStatus {
  Pending = 'pending',
  Paid = 'paid',
  Failed = 'failed',
}

/** Approved statements exported together to the bank as one CSV file. */
@Entity('payout_batches')
export class PayoutBatch {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  createdById!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * One bank transfer of a batch: what a merchant is owed by its approved statements that no pending or paid
 * transfer covers yet, the zero and negative ones netted in. Marked paid or failed as the bank reports it;
 * the statements of a failed transfer go into the next batch.
 */
@Entity('payout_transfers')
@Index('ix_payout_transfers_batch', ['batchId'])
@Check('ck_payout_transfers_amount', `"amount_fen" > 0`)
@Check('ck_payout_transfers_marked', `("status" = 'pending') = ("marked_by_id" IS NULL)`)
export class PayoutTransfer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'uuid' })
  batchId!: string;

  @Column({ type: 'uuid' })
  merchantId!: string;

  /** Σ of the statements it covers (payout_items), integer fen. */
  @Column(fenColumn())
  amountFen!: Fen;

  /** The transfer reference the bank echoes back (unique). */
  @Column({ type: 'text', unique: true })
  reference!: string;

  @Column({ type: 'enum', enum: PayoutStatus, enumName: 'payout_status', default: PayoutStatus.Pending })
  status!: PayoutStatus;

  @Column({ type: 'uuid', nullable: true })
  markedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  markedAt!: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}

/**
 * An approved statement covered by a transfer, with the statement's total. `status` follows the transfer's
 * (both change in one statement), so Postgres can hold a statement in at most one pending or paid transfer
 * (uq_payout_items_live): a statement is paid out at most once.
 */
@Entity('payout_items')
@Index('ix_payout_items_transfer', ['transferId'])
@Index('uq_payout_items_live', ['statementId'], { unique: true, where: `"status" <> 'failed'` })
export class PayoutItem {
  @PrimaryColumn({ type: 'uuid' })
  statementId!: string;

  @PrimaryColumn({ type: 'uuid' })
  transferId!: string;

  /** The statement's total, integer fen; zero or negative when reversals outweighed that day's redemptions. */
  @Column(fenColumn())
  amountFen!: Fen;

  @Column({ type: 'enum', enum: PayoutStatus, enumName: 'payout_status', default: PayoutStatus.Pending })
  status!: PayoutStatus;
}

/** A business day whose settlement run has finished: only then may its statements be submitted. */
@Entity('settled_days')
export class SettledDay {
  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @Column({ type: 'timestamptz' })
  settledAt!: Date;
}
