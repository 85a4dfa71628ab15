import { Check, Column, Entity, PrimaryColumn, Unique } from 'typeorm';

/**
 * The draw of one lottery round (摇号). The seed is drawn and its SHA-256 published (the commitment) before
 * anyone registers; the seed stays secret until the draw, which records the list's Merkle root and size
 * and then gives the winners their vouchers (docs/lottery.md).
 */
@Entity('lottery_draws')
@Check(
  'ck_lottery_draws_drawn',
  `("merkle_root" IS NULL) = ("drawn_at" IS NULL) AND ("issued_at" IS NULL OR "drawn_at" IS NOT NULL)`,
)
export class LotteryDraw {
  @PrimaryColumn({ type: 'uuid' })
  roundId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  /** 32 random bytes, hex: never shown before drawnAt. */
  @Column({ type: 'char', length: 64 })
  seed!: string;

  /** SHA-256 of the seed, hex: published from the start. */
  @Column({ type: 'char', length: 64 })
  commitment!: string;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  committedAt!: Date;

  @Column({ type: 'char', length: 64, nullable: true })
  merkleRoot!: string | null;

  /** How many registrations the list had, and the stock drawn for, when drawn. */
  @Column({ type: 'int', nullable: true })
  entries!: number | null;

  @Column({ type: 'int', nullable: true })
  stock!: number | null;

  @Column({ type: 'timestamptz', nullable: true })
  drawnAt!: Date | null;

  /** When every winner was given the offer's vouchers (or found at a limit). */
  @Column({ type: 'timestamptz', nullable: true })
  issuedAt!: Date | null;
}

/**
 * One identity's registration for a lottery round: at most one per identity (uq_lottery_registrations_identity).
 * `entry` is what the published list shows; only the resident's receipt ties it to them through the salt.
 * No foreign keys, as on claims: registrations are a surge on the same few parent rows.
 */
@Entity('lottery_registrations')
@Unique('uq_lottery_registrations_identity', ['roundId', 'identityId'])
@Unique('uq_lottery_registrations_entry', ['roundId', 'entry'])
@Unique('uq_lottery_registrations_idempotency', ['residentId', 'idempotencyKey'])
export class LotteryRegistration {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'uuid' })
  roundId!: string;

  @Column({ type: 'uuid' })
  campaignId!: string;

  @Column({ type: 'uuid' })
  residentId!: string;

  @Column({ type: 'uuid' })
  identityId!: string;

  @Column({ type: 'char', length: 32 })
  salt!: string;

  @Column({ type: 'char', length: 64 })
  entry!: string;

  @Column({ type: 'text', nullable: true })
  idempotencyKey!: string | null;

  @Column({ type: 'timestamptz' })
  registeredAt!: Date;
}

/**
 * A winner of a drawn round, by rank (the order drawn). `claimId` is the claim that gave the vouchers;
 * `outcome` says how the issuance ended: issued, or limit (the person already held as many as allowed).
 */
@Entity('lottery_winners')
@Unique('uq_lottery_winners_registration', ['registrationId'])
@Check('ck_lottery_winners_outcome', `"outcome" IS NULL OR "outcome" IN ('issued', 'limit')`)
export class LotteryWinner {
  @PrimaryColumn({ type: 'uuid' })
  roundId!: string;

  @PrimaryColumn({ type: 'int' })
  rank!: number;

  @Column({ type: 'uuid' })
  registrationId!: string;

  @Column({ type: 'char', length: 64 })
  entry!: string;

  @Column({ type: 'uuid', nullable: true })
  offerId!: string | null;

  @Column({ type: 'uuid', nullable: true })
  claimId!: string | null;

  @Column({ type: 'text', nullable: true })
  outcome!: 'issued' | 'limit' | null;
}
