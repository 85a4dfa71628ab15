import { Check, Column, Entity, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { RoundMode } from '@quan/domain';
import { Campaign } from './campaign.entity';

export { RoundMode };

/** A claim window (场次) of a campaign, with its own stock per offer. */
@Entity('rounds')
@Check('ck_rounds_window', `"closes_at" > "opens_at"`)
@Check(
  'ck_rounds_draw',
  `("mode" = 'lottery') = ("draw_at" IS NOT NULL) AND ("draw_at" IS NULL OR "draw_at" >= "closes_at")`,
)
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

  /** Lottery rounds: when the draw among the registered residents takes place. */
  @Column({ type: 'timestamptz', nullable: true })
  drawAt!: Date | null;

  @Column({ type: 'boolean', default: false })
  paused!: boolean;

  /** The later round that unclaimed stock rolls forward into, if any. */
  @ManyToOne(() => Round, { nullable: true, onDelete: 'RESTRICT' })
  rollForwardTo?: Relation<Round> | null;

  @Column({ type: 'uuid', nullable: true })
  rollForwardToId!: string | null;
}
