import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** What finance can run on demand (the same work the worker's schedules do at night). */
export enum RunKind {
  /** Settles one past business day (SettlementRun.settleDay). */
  SettleDay = 'settle_day',
  /** Checks the books and stores a report (Reconciliation.run). */
  Reconciliation = 'reconciliation',
}

export enum RunStatus {
  /** Accepted; its job waits on the queue. */
  Queued = 'queued',
  /** A worker is executing it (also between the retries of a failed attempt). */
  Running = 'running',
  Succeeded = 'succeeded',
  /** Its last attempt failed; `error` says why. */
  Failed = 'failed',
}

/**
 * A run asked for by finance or a city admin, executed by the worker. `subject` is its natural key (the
 * kind and, for a settlement, the day): `uq_settlement_runs_active` lets only one run of a subject be
 * queued or running, so asking twice answers the same run instead of queuing a second one.
 */
@Entity('settlement_runs')
@Index('uq_settlement_runs_active', ['subject'], { unique: true, where: `"status" IN ('queued', 'running')` })
@Check('ck_settlement_runs_day', `("kind" = 'settle_day') = ("business_day" IS NOT NULL)`)
export class SettlementRunRecord {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'enum', enum: RunKind, enumName: 'settlement_run_kind' })
  kind!: RunKind;

  /** The business day a settlement run settles; null for a reconciliation. */
  @Column({ type: 'date', nullable: true })
  businessDay!: string | null;

  /** `settle_day:YYYY-MM-DD` or `reconciliation`. */
  @Column({ type: 'text' })
  subject!: string;

  @Column({ type: 'enum', enum: RunStatus, enumName: 'settlement_run_status', default: RunStatus.Queued })
  status!: RunStatus;

  @Column({ type: 'uuid' })
  requestedById!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** What the run did: SettlementOutcome, or the reconciliation report's id and verdict. */
  @Column({ type: 'jsonb', nullable: true })
  outcome!: object | null;

  /** The last attempt's error message, if any. */
  @Column({ type: 'text', nullable: true })
  error!: string | null;
}
