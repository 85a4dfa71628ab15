import { Check, Column, Entity, ManyToOne, OneToMany, PrimaryGeneratedColumn, Relation, Unique } from 'typeorm';
import { OfferItem } from './offer-item.entity';
import { Round } from './round.entity';

/** What a resident claims in a round: one voucher or a pack (e.g. 2×5 + 2×10 + 1×20 yuan), with its stock. */
@Entity('round_offers')
@Unique('uq_round_offers_name', ['roundId', 'name'])
@Check('ck_round_offers_stock', `"stock" >= 0`)
@Check('ck_round_offers_issued', `"issued" >= 0 AND "issued" <= "stock"`)
export class RoundOffer {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @ManyToOne(() => Round, { nullable: false, onDelete: 'RESTRICT' })
  round?: Relation<Round>;

  @Column({ type: 'uuid' })
  roundId!: string;

  @Column({ type: 'text' })
  name!: string;

  /** How many times this offer can be claimed in the round. */
  @Column({ type: 'int' })
  stock!: number;

  /** Claims of this offer committed so far; Postgres refuses more than `stock` (ck_round_offers_issued). */
  @Column({ type: 'int', default: 0 })
  issued!: number;

  @Column({ type: 'int', default: 0 })
  sortOrder!: number;

  @OneToMany(() => OfferItem, (item) => item.offer)
  items?: OfferItem[];
}
