import { Check, Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { DiscountKind, Fen, ValidityKind } from '@quan/domain';
import { fenColumn } from '../columns';
import { Campaign } from './campaign.entity';

export { DiscountKind, ValidityKind };

/** What a voucher does: its discount rule, category scope, validity and subsidy split. */
@Entity('voucher_types')
@Check(
  'ck_voucher_types_discount',
  `("kind" = 'threshold' AND "discount_fen" > 0 AND "threshold_fen" > "discount_fen" AND "percent_off" IS NULL AND "cap_fen" IS NULL)
  OR ("kind" = 'fixed' AND "discount_fen" > 0 AND "threshold_fen" = 0 AND "percent_off" IS NULL AND "cap_fen" IS NULL)
  OR ("kind" = 'percentage' AND "discount_fen" IS NULL AND "percent_off" BETWEEN 1 AND 99 AND "cap_fen" > 0 AND "threshold_fen" >= 0)`,
)
@Check(
  'ck_voucher_types_validity',
  `("validity_kind" = 'fixed_window' AND "valid_from" IS NOT NULL AND "valid_until" > "valid_from" AND "valid_days" IS NULL)
  OR ("validity_kind" = 'days_from_claim' AND "valid_days" >= 1 AND "valid_from" IS NULL AND "valid_until" IS NULL)`,
)
@Check('ck_voucher_types_bureau_share', `"bureau_share_bp" BETWEEN 0 AND 10000`)
export class VoucherType {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Campaign, { nullable: false, onDelete: 'RESTRICT' })
  campaign?: Relation<Campaign>;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: DiscountKind, enumName: 'discount_kind' })
  kind!: DiscountKind;

  @Column(fenColumn({ default: 0 }))
  thresholdFen!: Fen;

  @Column(fenColumn({ nullable: true }))
  discountFen!: Fen | null;

  @Column({ type: 'int', nullable: true })
  percentOff!: number | null;

  @Column(fenColumn({ nullable: true }))
  capFen!: Fen | null;

  /** Categories where the voucher can be used; empty means every category. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  categoryCodes!: string[];

  @Column({ type: 'enum', enum: ValidityKind, enumName: 'validity_kind' })
  validityKind!: ValidityKind;

  @Column({ type: 'timestamptz', nullable: true })
  validFrom!: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  validUntil!: Date | null;

  @Column({ type: 'int', nullable: true })
  validDays!: number | null;

  /** Share of each discount the bureau pays, in basis points (10000 = all of it; the merchant funds the rest). */
  @Column({ type: 'int', default: 10000 })
  bureauShareBp!: number;
}
