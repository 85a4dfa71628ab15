import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { Fen } from '@quan/domain';
import { fenColumn } from '../columns';

/**
 * One voucher redeemed (核销) at a merchant's till: the order, the discount and who pays it. A reversal
 * (撤销) keeps the row and records when, by whom and on which business day; the voucher is usable again.
 *
 * `uq_redemptions_voucher_active` makes Postgres refuse a second redemption of a voucher that is not
 * reversed, whatever Redis said; `uq_redemptions_idempotency` answers a repeated Idempotency-Key of one
 * merchant with the first redemption. No foreign keys to the campaign and voucher type (hot parent rows;
 * see Claim); the voucher, merchant and cashier are checked when the redemption is decided.
 */
@Entity('redemptions')
@Index('uq_redemptions_voucher_active', ['voucherId'], { unique: true, where: '"reversed_at" IS NULL' })
@Index('uq_redemptions_idempotency', ['merchantId', 'idempotencyKey'], { unique: true })
@Index('ix_redemptions_merchant_day', ['merchantId', 'businessDay', 'redeemedAt'])
@Index('ix_redemptions_campaign', ['campaignId'])
// A resident's voucher history reads every redemption of the voucher, reversed ones included.
@Index('ix_redemptions_voucher', ['voucherId'])
@Check(
  'ck_redemptions_amounts',
  `"order_amount_fen" > 0 AND "discount_fen" > 0 AND "discount_fen" <= "order_amount_fen"
  AND "subsidy_fen" >= 0 AND "merchant_funded_fen" >= 0 AND "subsidy_fen" + "merchant_funded_fen" = "discount_fen"`,
)
@Check(
  'ck_redemptions_reversal',
  `("reversed_at" IS NULL) = ("reversed_by_id" IS NULL) AND ("reversed_at" IS NULL) = ("reversal_business_day" IS NULL)`,
)
export class Redemption {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  voucherId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid' })
  voucherTypeId!: string;

  @Column({ type: 'uuid' })
  residentId!: string;

  @Column({ type: 'uuid' })
  merchantId!: string;

  /** The staff account (cashier or merchant admin) who confirmed it. */
  @Column({ type: 'uuid' })
  cashierId!: string;

  @Column(fenColumn())
  orderAmountFen!: Fen;

  @Column(fenColumn())
  discountFen!: Fen;

  /** The bureau's share of the discount: what settlement pays the merchant. */
  @Column(fenColumn())
  subsidyFen!: Fen;

  /** The merchant's own share of the discount. */
  @Column(fenColumn())
  merchantFundedFen!: Fen;

  /** The merchant's business day (Asia/Shanghai) it counts in, for daily caps and settlement. */
  @Column({ type: 'date' })
  businessDay!: string;

  @Column({ type: 'timestamptz' })
  redeemedAt!: Date;

  /** The cashier's Idempotency-Key, unique per merchant. */
  @Column({ type: 'text' })
  idempotencyKey!: string;

  @Column({ type: 'timestamptz', nullable: true })
  reversedAt!: Date | null;

  @Column({ type: 'uuid', nullable: true })
  reversedById!: string | null;

  /** The business day the reversal happened on (a later day's statement carries it as an adjustment). */
  @Column({ type: 'date', nullable: true })
  reversalBusinessDay!: string | null;

  /**
   * The transactions that committed the redemption and its reversal (pg_current_xact_id), so a reversal can
   * tell whether the Redis counters rebuilt from a Postgres snapshot counted this redemption
   * (CampaignCounters.reversalCheck). Rows written by other paths leave them NULL: never counted.
   */
  @Column({ type: 'bigint', nullable: true })
  insertXid!: string | null;

  @Column({ type: 'bigint', nullable: true })
  reversalXid!: string | null;
}
