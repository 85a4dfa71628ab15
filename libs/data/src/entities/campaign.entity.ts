import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { CampaignStatus, Fen } from '@quan/domain';
import { fenColumn } from '../columns';
import { County } from './county.entity';
import { StaffAccount } from './staff-account.entity';

export { CampaignStatus };

/** A funded voucher programme such as 秦乐购·第七期消费券; budget in fen. */
@Entity('campaigns')
@Check('ck_campaigns_budget', `"budget_fen" > 0`)
@Check('ck_campaigns_window', `"ends_at" > "starts_at"`)
@Check('ck_campaigns_per_person_limit', `"per_person_limit" >= 1`)
@Check('ck_campaigns_approver', `"approved_by_id" IS NULL OR "approved_by_id" <> "created_by_id"`)
@Check('ck_campaigns_checker_not_maker', `"approved_by_id" IS NULL OR NOT ("approved_by_id" = ANY ("maker_ids"))`)
@Check(
  'ck_campaigns_person_limits',
  `("per_person_round_limit" IS NULL OR "per_person_round_limit" BETWEEN 1 AND "per_person_limit") AND ("per_person_daily_limit" IS NULL OR "per_person_daily_limit" BETWEEN 1 AND "per_person_limit")`,
)
@Check(
  'ck_campaigns_merchant_limits',
  `("merchant_daily_redemption_limit" IS NULL OR "merchant_daily_redemption_limit" >= 1) AND ("merchant_daily_subsidy_cap_fen" IS NULL OR "merchant_daily_subsidy_cap_fen" >= 1)`,
)
@Check('ck_campaigns_eligibility', `NOT ("merchant_allow_ids" && "merchant_deny_ids")`)
export class Campaign {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  /** Stable business key, e.g. QLG-07. */
  @Column({ type: 'text', unique: true })
  code!: string;

  @Column({ type: 'text' })
  name!: string;

  /** null: city-wide; otherwise the one county the campaign is limited to. */
  @ManyToOne(() => County, { nullable: true, onDelete: 'RESTRICT' })
  scopeCounty?: Relation<County> | null;

  @Column({ type: 'text', nullable: true })
  scopeCountyCode!: string | null;

  @Column(fenColumn())
  budgetFen!: Fen;

  @Column({ type: 'enum', enum: CampaignStatus, enumName: 'campaign_status', default: CampaignStatus.Draft })
  status!: CampaignStatus;

  @Column({ type: 'timestamptz' })
  startsAt!: Date;

  @Column({ type: 'timestamptz' })
  endsAt!: Date;

  /** Vouchers one verified person may claim in the whole campaign (offers count once each). */
  @Column({ type: 'int', default: 1 })
  perPersonLimit!: number;

  /** Vouchers one person may claim in one round; null: only the campaign limit applies. */
  @Column({ type: 'int', nullable: true })
  perPersonRoundLimit!: number | null;

  /** Vouchers one person may claim per business day (Asia/Shanghai); null: no daily limit. */
  @Column({ type: 'int', nullable: true })
  perPersonDailyLimit!: number | null;

  /** Category code -> vouchers one person may hold that are usable in that category. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  perPersonCategoryLimits!: Record<string, number>;

  /** Redemptions one merchant may accept per business day; null: no limit. */
  @Column({ type: 'int', nullable: true })
  merchantDailyRedemptionLimit!: number | null;

  /** Subsidy one merchant may earn per business day; null: no cap. */
  @Column(fenColumn({ nullable: true }))
  merchantDailySubsidyCapFen!: Fen | null;

  /** Eligible merchant categories; empty: all. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  eligibleCategoryCodes!: string[];

  /** Eligible counties; empty: all of the campaign's scope. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  eligibleCountyCodes!: string[];

  /** Merchants admitted whatever their category or county. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  merchantAllowIds!: string[];

  /** Merchants never admitted. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  merchantDenyIds!: string[];

  /**
   * 超发: vouchers may be issued beyond what the budget covers (not every voucher is redeemed); redemptions
   * then stop at the budget (BUDGET_EXHAUSTED). When false, the worst case of all stock must fit the budget.
   */
  @Column({ type: 'boolean', default: false })
  issueBeyondBudget!: boolean;

  /** Only 限上企业 may accept the vouchers. */
  @Column({ type: 'boolean', default: false })
  aboveQuotaOnly!: boolean;

  @ManyToOne(() => StaffAccount, { nullable: false, onDelete: 'RESTRICT' })
  createdBy?: Relation<StaffAccount>;

  @Column({ type: 'uuid' })
  createdById!: string;

  /** Maker-checker: whoever approves is not whoever created (checked by Postgres too). */
  @ManyToOne(() => StaffAccount, { nullable: true, onDelete: 'RESTRICT' })
  approvedBy?: Relation<StaffAccount> | null;

  @Column({ type: 'uuid', nullable: true })
  approvedById!: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  approvedAt!: Date | null;

  /** Everyone who created, changed or submitted the configuration since it was last a fresh draft: none of them may approve. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  makerIds!: string[];

  /** Why the last approval was refused (shown to the makers), or null. */
  @Column({ type: 'text', nullable: true })
  reviewNote!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
