import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Identity } from './identity.entity';

/**
 * A resident account, one per phone number. The number itself is not stored: only a keyed hash to
 * find the account at login, and a masked form to show. An account a community agent registered for a
 * person without a phone has neither (docs/assisted-claims.md).
 */
@Entity('residents')
@Index('ix_residents_identity', ['identityId'])
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64, unique: true, nullable: true })
  phoneHash!: string | null;

  @Column({ type: 'text', nullable: true })
  phoneMasked!: string | null;

  /** The verified person behind the account; limits count identities, not phone numbers. */
  @ManyToOne(() => Identity, { nullable: true, onDelete: 'RESTRICT' })
  identity?: Relation<Identity> | null;

  @Column({ type: 'uuid', nullable: true })
  identityId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
