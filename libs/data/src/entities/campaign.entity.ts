import {
  Check, Column, CreateDateColumn, Entity, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, VersionColumn,
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
  scopeCounty?: County | null;

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

  @ManyToOne(() => StaffAccount, { nullable: false, onDelete: 'RESTRICT' })
  createdBy?: StaffAccount;

  @Column({ type: 'uuid' })
  createdById!: string;

  /** Maker-checker: whoever approves is not whoever created (checked by Postgres too). */
  @ManyToOne(() => StaffAccount, { nullable: true, onDelete: 'RESTRICT' })
  approvedBy?: StaffAccount | null;

  @Column({ type: 'uuid', nullable: true })
  approvedById!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @VersionColumn()
  version!: number;
}
