import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import { MerchantStatus } from '@quan/domain';
import { Category } from './category.entity';
import { County } from './county.entity';

export { MerchantStatus };

/** A shop that accepts vouchers, identified by its 统一社会信用代码 (licence number). */
@Entity('merchants')
@Check('ck_merchants_licence_no', `"licence_no" ~ '^[0-9A-HJ-NPQRTUWXY]{18}$'`)
@Index('ix_merchants_county_status', ['countyCode', 'status'])
// The residents' directory lists approved merchants by name, a page at a time.
@Index('ix_merchants_directory', ['name', 'id'], { where: `"status" = 'approved'` })
export class Merchant {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  @Column({ type: 'char', length: 18, unique: true })
  licenceNo!: string;

  @ManyToOne(() => Category, { nullable: false, onDelete: 'RESTRICT' })
  category?: Relation<Category>;

  @Column({ type: 'text' })
  categoryCode!: string;

  @ManyToOne(() => County, { nullable: false, onDelete: 'RESTRICT' })
  county?: Relation<County>;

  @Column({ type: 'text' })
  countyCode!: string;

  @Column({ type: 'text' })
  address!: string;

  @Column({ type: 'text' })
  bankName!: string;

  @Column({ type: 'text' })
  bankAccountName!: string;

  /** The account number sealed (FieldCipher, `merchants.bank_account`): only finance preparing payouts opens it. */
  @Column({ type: 'text' })
  bankAccountSealed!: string;

  /** What everyone else sees: all but the last 4 digits starred. */
  @Column({ type: 'text' })
  bankAccountMasked!: string;

  /** The contact phone sealed (FieldCipher, `merchants.contact_phone`); null when none was given. */
  @Column({ type: 'text', nullable: true })
  contactPhoneSealed!: string | null;

  @Column({ type: 'text', nullable: true })
  contactPhoneMasked!: string | null;

  /** 限上企业: above the statistical size threshold; some campaigns admit only these. */
  @Column({ type: 'boolean', default: false })
  aboveQuota!: boolean;

  @Column({ type: 'enum', enum: MerchantStatus, enumName: 'merchant_status', default: MerchantStatus.Pending })
  status!: MerchantStatus;

  /** Why the application was rejected or the merchant suspended; null otherwise. */
  @Column({ type: 'text', nullable: true })
  statusReason!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
