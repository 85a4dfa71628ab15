import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';

/** One difference the reconciliation found: which check, on what, and the two figures that disagree. */
export interface ReconciliationDifference {
  check: string;
  subject: string;
  expected: string;
  actual: string;
}

/** The outcome of one reconciliation run: the figures compared and every difference found (none when ok). */
@Entity('reconciliation_reports')
export class ReconciliationReport {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @CreateDateColumn({ type: 'timestamptz' })
  ranAt!: Date;

  @Column({ type: 'boolean' })
  ok!: boolean;

  /** Totals of what was compared (strings of integer fen and counts), for the record. */
  @Column({ type: 'jsonb' })
  figures!: Record<string, string>;

  @Column({ type: 'jsonb' })
  differences!: ReconciliationDifference[];
}
