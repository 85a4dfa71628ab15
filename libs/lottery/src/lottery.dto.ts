import { ApiProperty } from '@nestjs/swagger';
import { ApiDateTime, ApiInteger } from '@quan/platform';

export const REGISTRATION_STATUSES = ['registered', 'won', 'not_won'] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

export class MerkleStepDto {
  @ApiProperty({ description: "The sibling node's SHA-256, hex", example: 'a3f1…' })
  sibling!: string;

  @ApiProperty({ enum: ['left', 'right'], description: 'Which side of the path the sibling sits on' })
  side!: 'left' | 'right';
}

/**
 * A resident's receipt of a lottery registration: what the resident keeps to check, after the draw, that
 * their entry is in the published list and whether it won, without the list revealing who they are.
 */
export class RegistrationReceiptDto {
  @ApiProperty({ format: 'uuid' })
  registrationId!: string;

  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({
    description:
      'The anonymised entry as the published list shows it: SHA-256("quan-lottery/1 entry|" ‖ roundId ‖ "|" ‖ salt ‖ "|" ‖ identityRef), hex',
  })
  entry!: string;

  @ApiProperty({ description: 'The random salt of this registration (hex): keep it with the receipt' })
  salt!: string;

  @ApiProperty({
    format: 'uuid',
    description: "The identity reference the entry is made of (the resident's own, never published)",
  })
  identityRef!: string;

  @ApiDateTime({ example: '2026-12-08T10:00:01+08:00' })
  registeredAt!: string;

  @ApiProperty({ description: "SHA-256 of the draw's secret seed, published before registration opened" })
  commitment!: string;

  @ApiDateTime({ example: '2026-12-10T20:00:00+08:00', description: 'When the draw takes place' })
  drawAt!: string;

  @ApiProperty({ enum: REGISTRATION_STATUSES, enumName: 'RegistrationStatus' })
  status!: RegistrationStatus;

  @ApiProperty({ type: String, nullable: true, description: 'After the draw: the Merkle root of the published list' })
  merkleRoot!: string | null;

  @ApiProperty({
    type: [MerkleStepDto],
    nullable: true,
    description: 'After the draw: the proof that `entry` is in the list with root `merkleRoot`',
  })
  proof!: MerkleStepDto[] | null;

  @ApiInteger({ nullable: true, description: "After the draw: the entry's position in the published list (0-based)" })
  position!: number | null;

  @ApiInteger({ nullable: true, description: 'For a winner: the rank in the order drawn (0-based)' })
  rank!: number | null;

  @ApiProperty({
    type: String,
    enum: ['issued', 'limit'],
    nullable: true,
    description:
      "For a winner: issued (the offer's vouchers are in the wallet), or limit (the resident already held as many as the campaign allows)",
  })
  issue!: 'issued' | 'limit' | null;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'For an issued winner: the claim that gave the vouchers',
  })
  claimId!: string | null;
}

/**
 * A lottery round's draw as published for anyone to check (docs/lottery.md): before the draw, the
 * commitment and the count registered; after it, the seed, the list, its Merkle root and the winners.
 */
export class PublishedDrawDto {
  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ example: '第一场 摇号' })
  roundName!: string;

  @ApiProperty({ example: 'quan-lottery' })
  algorithm!: string;

  @ApiInteger({ example: 1 })
  algorithmVersion!: number;

  @ApiProperty({ description: 'SHA-256 of the secret seed (hex), published before registration opened' })
  commitment!: string;

  @ApiDateTime({ example: '2026-12-08T09:00:00+08:00', description: 'When the seed was drawn and committed to' })
  committedAt!: string;

  @ApiDateTime({ example: '2026-12-08T10:00:00+08:00' })
  registrationOpensAt!: string;

  @ApiDateTime({ example: '2026-12-09T22:00:00+08:00' })
  registrationClosesAt!: string;

  @ApiDateTime({ example: '2026-12-10T20:00:00+08:00' })
  drawAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  drawnAt!: string | null;

  @ApiInteger({ description: 'Registrations so far (before the draw), or in the final list' })
  registrations!: number;

  @ApiProperty({ type: String, nullable: true, description: 'The revealed seed (hex), after the draw' })
  seed!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'The Merkle root of the final list (hex), after the draw' })
  merkleRoot!: string | null;

  @ApiInteger({ description: 'How many may win: the stock left of the round’s offers (at the draw, once drawn)' })
  stock!: number;

  @ApiProperty({
    type: [String],
    description: 'After the draw: every entry of the list, ascending (the Merkle leaves in order)',
  })
  entries!: string[];

  @ApiProperty({ type: [String], description: 'After the draw: the winning entries, in the order drawn' })
  winners!: string[];
}
