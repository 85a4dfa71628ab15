import { Column, CreateDateColumn, Entity, Index, ManyToOne, PrimaryGeneratedColumn, Relation } from 'typeorm';
import { Identity } from './identity.entity';

/**
 * A resident account, one per phone number. The number itself is not stored: only a keyed hash to
 * find the account at login, and a masked form to show.
 */
@Entity('residents')
@Index('ix_residents_identity', ['identityId'])
export class Resident {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'char', length: 64, unique: true })
  phoneHash!: string;

  @Column({ type: 'text' })
  phoneMasked!: string;

  /** The verified person behind the account; limits count identities, not phone numbers. */
  @ManyToOne(() => Identity, { nullable: true, onDelete: 'RESTRICT' })
  identity?: Relation<Identity> | null;

  @Column({ type: 'uuid', nullable: true })
  identityId!: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;
}
