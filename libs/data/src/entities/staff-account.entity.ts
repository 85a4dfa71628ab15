import {
  Check,
  Column,
  CreateDateColumn,
  Entity,
  ManyToOne,
  PrimaryGeneratedColumn,
  Relation,
  UpdateDateColumn,
} from 'typeorm';
import { County } from './county.entity';
import { Merchant } from './merchant.entity';

export enum StaffRole {
  CityAdmin = 'city_admin',
  CountyAdmin = 'county_admin',
  Finance = 'finance',
  Auditor = 'auditor',
  MerchantAdmin = 'merchant_admin',
  Cashier = 'cashier',
  /** 社区工作人员: registers residents without a smartphone in one county and claims on their behalf. */
  CommunityAgent = 'community_agent',
}

/** A bureau or merchant staff member who logs in with username and password. */
@Entity('staff_accounts')
@Check(
  'ck_staff_accounts_county_binding',
  `("role"::text IN ('county_admin', 'community_agent')) = ("county_code" IS NOT NULL)`,
)
@Check('ck_staff_accounts_merchant_binding', `("role" IN ('merchant_admin', 'cashier')) = ("merchant_id" IS NOT NULL)`)
export class StaffAccount {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text', unique: true })
  username!: string;

  @Column({ type: 'text' })
  displayName!: string;

  @Column({ type: 'text' })
  passwordHash!: string;

  @Column({ type: 'enum', enum: StaffRole, enumName: 'staff_role' })
  role!: StaffRole;

  @ManyToOne(() => County, { nullable: true, onDelete: 'RESTRICT' })
  county?: Relation<County> | null;

  @Column({ type: 'text', nullable: true })
  countyCode!: string | null;

  @ManyToOne(() => Merchant, { nullable: true, onDelete: 'RESTRICT' })
  merchant?: Relation<Merchant> | null;

  @Column({ type: 'uuid', nullable: true })
  merchantId!: string | null;

  @Column({ type: 'boolean', default: false })
  disabled!: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;
}
