import { Column, Entity, ManyToOne, PrimaryColumn, Relation } from 'typeorm';
import { Claim } from './claim.entity';

/**
 * An Idempotency-Key answered with a claim made under another key (or none): a resident at their limit
 * is answered with their first claim of the offer (ClaimsService). Recorded before that answer, so a
 * replay of the key gets the same claim after Redis forgot it, whatever the stock and the round's window
 * are by then. A key that made its own claim is in `claims.idempotency_key` instead.
 */
@Entity('claim_keys')
export class ClaimKey {
  @PrimaryColumn({ type: 'uuid' })
  residentId!: string;

  @PrimaryColumn({ type: 'text' })
  idempotencyKey!: string;

  @ManyToOne(() => Claim, { nullable: false, onDelete: 'RESTRICT' })
  claim?: Relation<Claim>;

  @Column({ type: 'uuid' })
  claimId!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;
}
