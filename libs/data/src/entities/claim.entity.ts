import { Check, Column, Entity, Index, PrimaryColumn, Unique } from 'typeorm';

/**
 * A successful claim of an offer in a round. `personSeq` is the claimant's n-th claim in the campaign,
 * assigned by the Redis script; the unique key on (campaign, identity, personSeq) makes Postgres refuse a
 * claim beyond the per-person limit even if Redis lost counts.
 *
 * No foreign keys to the campaign, round and offer: every claim of a round would take a share lock on
 * the same few parent rows, and thousands of concurrent lockers turn those into MultiXact contention on
 * the hot path. The ids come from the round catalog (read from Postgres).
 * None to the resident and identity either: each would lock and dirty a random parent row per claim, and
 * both ids come from the signed access token of an account that is never deleted (docs/decisions.md).
 *
 * A resident's claims are found through uq_claims_idempotency, whose first column is the resident.
 */
@Entity('claims')
@Unique('uq_claims_person_seq', ['campaignId', 'identityId', 'personSeq'])
@Unique('uq_claims_idempotency', ['residentId', 'idempotencyKey'])
// BRIN: the reports' catch-up reads claims by time at almost no cost to the claim path.
@Index('ix_claims_claimed_at', ['claimedAt'], { type: 'brin' })
@Check('ck_claims_person_seq', `"person_seq" >= 1`)
export class Claim {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid' })
  roundId!: string;

  @Column({ type: 'uuid' })
  offerId!: string;

  @Column({ type: 'uuid' })
  residentId!: string;

  @Column({ type: 'uuid' })
  identityId!: string;

  @Column({ type: 'int' })
  personSeq!: number;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'timestamptz' })
  claimedAt!: Date;
}
