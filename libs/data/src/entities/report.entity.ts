import { Check, Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { Fen } from '@quan/domain';
import { fenColumn } from '../columns';

/**
 * Redemptions of one campaign at one merchant on one business day (the redemption's own day), kept by the
 * worker from the outbox events (libs/reports `ReportFolder`). Every figure counts redemptions not
 * reversed; `reversals` counts the day's redemptions since reversed. The merchant's county and category
 * are copied in so that reports group without a join.
 */
@Entity('report_redemption_days')
@Index('ix_report_redemption_days_day', ['businessDay', 'countyCode'])
@Check('ck_report_redemption_days_counts', `"redemptions" >= 0 AND "reversals" >= 0`)
export class ReportRedemptionDay {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @PrimaryColumn({ type: 'uuid' })
  merchantId!: string;

  @Column({ type: 'text' })
  countyCode!: string;

  @Column({ type: 'text' })
  categoryCode!: string;

  @Column({ type: 'int' })
  redemptions!: number;

  @Column({ type: 'int' })
  reversals!: number;

  @Column(fenColumn())
  orderTotalFen!: Fen;

  @Column(fenColumn())
  discountFen!: Fen;

  @Column(fenColumn())
  subsidyFen!: Fen;

  /** The newest redemption or reversal folded into this row. */
  @Column({ type: 'timestamptz' })
  lastEventAt!: Date;
}

/**
 * The same figures by campaign, business day, county and category, without the merchant: what every report
 * but the one by merchant reads, a few thousand rows for the days a report covers whatever the merchants.
 * Kept in the same statement as report_redemption_days, so the two always agree.
 */
@Entity('report_area_days')
@Index('ix_report_area_days_day', ['businessDay', 'countyCode'])
// asOf of a report: the newest event folded in, read from the right edge of this index.
@Index('ix_report_area_days_last_event', ['lastEventAt'])
@Check('ck_report_area_days_counts', `"redemptions" >= 0 AND "reversals" >= 0`)
export class ReportAreaDay {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @PrimaryColumn({ type: 'text' })
  countyCode!: string;

  @PrimaryColumn({ type: 'text' })
  categoryCode!: string;

  @Column({ type: 'int' })
  redemptions!: number;

  @Column({ type: 'int' })
  reversals!: number;

  @Column(fenColumn())
  orderTotalFen!: Fen;

  @Column(fenColumn())
  discountFen!: Fen;

  @Column(fenColumn())
  subsidyFen!: Fen;

  @Column({ type: 'timestamptz' })
  lastEventAt!: Date;
}

/** Claims of one campaign on one business day (Asia/Shanghai) and the vouchers they issued. */
@Entity('report_claim_days')
export class ReportClaimDay {
  @PrimaryColumn({ type: 'uuid' })
  campaignId!: string;

  @PrimaryColumn({ type: 'date' })
  businessDay!: string;

  @Column({ type: 'int' })
  claims!: number;

  @Column({ type: 'int' })
  vouchersIssued!: number;
}

/** One outbox event already folded into `report_redemption_days`: a redelivered event adds nothing. */
@Entity('report_folded_events')
@Check('ck_report_folded_events_kind', `"kind" IN ('redeemed', 'reversed')`)
export class ReportFoldedEvent {
  @PrimaryColumn({ type: 'uuid' })
  redemptionId!: string;

  @PrimaryColumn({ type: 'text' })
  kind!: 'redeemed' | 'reversed';

  @CreateDateColumn({ type: 'timestamptz' })
  foldedAt!: Date;
}

/**
 * How far a catch-up feed of the reports has read. `claims`: every claim before `at` is counted.
 * `redemptions`: every redemption committed before `at` is folded in; `-infinity` while the first catch-up
 * is under way, `position` the last redemption id it folded.
 */
@Entity('report_watermarks')
export class ReportWatermark {
  @PrimaryColumn({ type: 'text' })
  name!: string;

  @Column({ type: 'timestamptz' })
  at!: Date;

  @Column({ type: 'uuid', nullable: true })
  position!: string | null;
}
