import { Check, Column, Entity, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { RoundOffer } from './round-offer.entity';
import { VoucherType } from './voucher-type.entity';

/** One line of an offer: how many vouchers of one type a claim grants. */
@Entity('offer_items')
@Check('ck_offer_items_quantity', `"quantity" BETWEEN 1 AND 100`)
export class OfferItem {
  @PrimaryColumn({ type: 'uuid' })
  offerId!: string;

  @PrimaryColumn({ type: 'uuid' })
  voucherTypeId!: string;

  @ManyToOne(() => RoundOffer, (offer) => offer.items, { nullable: false, onDelete: 'CASCADE' })
  offer?: Relation<RoundOffer>;

  @ManyToOne(() => VoucherType, { nullable: false, onDelete: 'RESTRICT' })
  voucherType?: Relation<VoucherType>;

  @Column({ type: 'int' })
  quantity!: number;
}
