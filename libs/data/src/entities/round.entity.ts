import { Check, Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Campaign } from './campaign.entity';

export enum RoundMode {
  /** 抢券: first come, first served while stock lasts. */
  FirstCome = 'first_come',
  /** 摇号: register during the window, then a draw. */
  Lottery = 'lottery',
}

/** A claim window (场次) of a campaign, with its own stock per offer. */
@Entity('rounds')
@Check('ck_rounds_window', `"closes_at" > "opens_at"`)
export class Round {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Campaign, { nullable: false, onDelete: 'RESTRICT' })
  campaign?: Relation<Campaign>;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'enum', enum: RoundMode, enumName: 'round_mode', default: RoundMode.FirstCome })
  mode!: RoundMode;

  @Column({ type: 'timestamptz' })
  opensAt!: Date;

  @Column({ type: 'timestamptz' })
  closesAt!: Date;

  @Column({ type: 'boolean', default: false })
  paused!: boolean;

  /** The later round that unclaimed stock rolls forward into, if any. */
  @ManyToOne(() => Round, { nullable: true, onDelete: 'RESTRICT' })
  rollForwardTo?: Relation<Round> | null;

  @Column({ type: 'uuid', nullable: true })
  rollForwardToId!: string | null;
}
