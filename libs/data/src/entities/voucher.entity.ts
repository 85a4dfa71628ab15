import { Column, Entity, Index, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { VoucherStatus } from '@quan/domain';
import { Claim } from './claim.entity';

export { VoucherStatus };

/**
 * A voucher issued to a resident by a claim. Its one foreign key is to that claim, inserted by the same
 * statement; none to shared hot rows or to the resident (see Claim).
 */
@Entity('vouchers')
@Index('ix_vouchers_resident', ['residentId', 'claimedAt'])
@Index('ix_vouchers_claim', ['claimId'])
export class Voucher {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @ManyToOne(() => Claim, { nullable: false, onDelete: 'RESTRICT' })
  claim?: Relation<Claim>;

  @Column({ type: 'uuid' })
  claimId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid' })
  voucherTypeId!: string;

  @Column({ type: 'uuid' })
  residentId!: string;

  /** Printed on the voucher for manual entry, with a check symbol (see libs/domain/short-code.ts). */
  @Column({ type: 'text', unique: true })
  shortCode!: string;

  @Column({ type: 'enum', enum: VoucherStatus, enumName: 'voucher_status', default: VoucherStatus.Claimed })
  status!: VoucherStatus;

  @Column({ type: 'timestamptz' })
  validFrom!: Date;

  @Column({ type: 'timestamptz' })
  validUntil!: Date;

  @Column({ type: 'timestamptz' })
  claimedAt!: Date;
}
