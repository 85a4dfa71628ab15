import { Check, Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { Fen } from '@quan/domain';
import { fenColumn } from '../columns';

/**
 * One movement of a campaign's subsidy between accounts (double entry: every entry takes `amountFen` from
 * one account and gives it to another, so the balances of all accounts always sum to zero). Accounts:
 * `vouchers:OFFER` (value of the vouchers claimed through an offer), `rollover:OFFER` (value waiting to
 * become whole packs of an offer), `offer:OFFER` (value of an offer's stock), `unspent:CAMPAIGN` (value
 * returned to the campaign when a round names no roll-forward target). `entryKey` makes each movement
 * happen once (`expire:VOUCHER`, `unclaimed:OFFER`, `convert:OFFER:…`). Append-only (trigger).
 */
@Entity('budget_ledger')
@Index('ix_budget_ledger_campaign', ['campaignId'])
@Check('ck_budget_ledger_accounts', `"from_account" <> "to_account"`)
@Check('ck_budget_ledger_amounts', `"amount_fen" >= 0 AND ("packs" IS NULL OR "packs" > 0)`)
export class BudgetLedgerEntry {
  @PrimaryGeneratedColumn('identity', { type: 'bigint', generatedIdentity: 'ALWAYS' })
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'text', unique: true })
  entryKey!: string;

  @Column({ type: 'text' })
  fromAccount!: string;

  @Column({ type: 'text' })
  toAccount!: string;

  /** Worst-case subsidy moved, integer fen (an expired voucher whose bureau share is zero moves 0). */
  @Column(fenColumn())
  amountFen!: Fen;

  /** Packs of stock moved, when the entry moves stock. */
  @Column({ type: 'int', nullable: true })
  packs!: number | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
