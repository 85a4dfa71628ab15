import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { Fen } from '@quan/domain';
import { AuditLog } from '@quan/data';
import {
  ApiBusinessDay,
  ApiDateTime,
  ApiFen,
  ApiInteger,
  IsBusinessDay,
  IsIsoDateTime,
  PageQueryDto,
} from '@quan/platform';

export class AuditEntryDto {
  @ApiProperty({ example: '1042', description: 'Increases with every entry' })
  id!: string;

  @ApiDateTime({ example: '2026-04-25T16:20:00+08:00' })
  at!: string;

  @ApiProperty({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'The staff account; null for the system (campaign clock)',
  })
  actorId!: string | null;

  @ApiProperty({
    type: String,
    example: 'admin',
    nullable: true,
    description: "The staff account's username; null for the system",
  })
  actorUsername!: string | null;

  @ApiProperty({ example: 'city_admin', description: 'The role the actor had when acting: a staff role, or system' })
  actorRole!: string;

  @ApiProperty({ example: 'campaign.approve' })
  action!: string;

  @ApiProperty({ example: 'campaign', description: 'campaign, merchant, staff_account, county or category' })
  entityType!: string;

  @ApiProperty()
  entityId!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The thing as the API showed it before the change; null when created',
  })
  before!: object | null;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'The thing after the change',
  })
  after!: object | null;

  @ApiProperty({ type: String, nullable: true, description: 'X-Request-Id of the request that made the change' })
  requestId!: string | null;

  @ApiProperty({
    description:
      "The hash of the entry before this one (64 zeros for the first): this entry's link in the tamper-evident chain",
  })
  prevHash!: string;

  @ApiProperty({
    description: "SHA-256 (hex) of prevHash and this entry's canonical form; `npm run audit:verify` recomputes it",
  })
  hash!: string;

  static from(entry: AuditLog, actorUsername: string | null): AuditEntryDto {
    return {
      id: entry.id,
      at: entry.at.toISOString(),
      actorId: entry.actorId,
      actorUsername,
      actorRole: entry.actorRole,
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: entry.before,
      after: entry.after,
      requestId: entry.requestId,
      prevHash: entry.prevHash,
      hash: entry.hash,
    };
  }
}

export class AuditPageDto {
  @ApiProperty({ type: [AuditEntryDto], description: 'Newest first' })
  items!: AuditEntryDto[];

  @ApiInteger({ description: 'Entries matching the filters' })
  total!: number;
}

/** Filters, and `limit` and `offset` as on every list. */
export class AuditQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'campaign' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  entityType?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @Length(1, 100)
  entityId?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  actorId?: string;

  @ApiPropertyOptional({ example: 'campaign.approve', description: 'An action, or a prefix ending in "." (campaign.)' })
  @IsOptional()
  @Matches(/^[a-z_.]{1,60}$/, { message: 'action is lower-case words separated by "."' })
  action?: string;

  @ApiDateTime({
    required: false,
    example: '2026-04-01T00:00:00+08:00',
    description: 'Entries at or after this instant',
  })
  @IsOptional()
  @IsIsoDateTime()
  from?: string;

  @ApiDateTime({ required: false, example: '2026-05-01T00:00:00+08:00', description: 'Entries before this instant' })
  @IsOptional()
  @IsIsoDateTime()
  to?: string;
}

export class ChainLinkDto {
  @ApiProperty({ example: '1042', description: 'The entry' })
  id!: string;

  @ApiProperty({
    example: '9f2c…',
    description: "SHA-256 (hex) of the previous entry's hash and this entry's canonical form",
  })
  hash!: string;
}

export class AuditAnchorDto {
  @ApiProperty({ example: '1043', description: 'The anchor entry itself (action audit.anchor)' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({
    type: ChainLinkDto,
    description: 'The entry that was the head of the chain when the anchor was written, and its hash',
  })
  anchored!: ChainLinkDto;
}

/** The audit chain as an auditor copies it out of the system, to check later with `npm run audit:verify -- --anchor ID=HASH`. */
export class AuditChainDto {
  @ApiProperty({ example: '0000…', description: 'The prev_hash of the first entry' })
  genesisHash!: string;

  @ApiProperty({
    type: ChainLinkDto,
    nullable: true,
    description: 'The newest entry and its hash; null while the log is empty',
  })
  head!: ChainLinkDto | null;

  @ApiProperty({
    type: AuditAnchorDto,
    nullable: true,
    description:
      'The newest anchor the worker wrote (every AUDIT_ANCHOR_MS while entries arrive); null before the first',
  })
  latestAnchor!: AuditAnchorDto | null;
}

export class TrailActorDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'm001-cashier' })
  username!: string;

  @ApiProperty({ example: 'cashier', description: 'cashier or merchant_admin' })
  role!: string;
}

export class TrailReversalDto {
  @ApiProperty({ format: 'date-time' })
  at!: string;

  @ApiProperty({ type: TrailActorDto })
  by!: TrailActorDto;

  @ApiBusinessDay({ example: '2026-11-26', description: 'The business day of the reversal' })
  businessDay!: string;
}

/** One redemption as its own record keeps it: who redeemed what, where, when, for how much, and its reversal. */
export class RedemptionTrailEntryDto {
  @ApiProperty({ format: 'uuid' })
  redemptionId!: string;

  @ApiProperty({ format: 'date-time' })
  redeemedAt!: string;

  @ApiProperty({ type: TrailActorDto, description: 'Who confirmed it at the till' })
  by!: TrailActorDto;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ format: 'uuid' })
  voucherId!: string;

  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiFen({ description: 'Integer fen' })
  orderAmountFen!: Fen;

  @ApiFen({ description: 'Integer fen' })
  discountFen!: Fen;

  @ApiFen({ description: "The bureau's share of the discount, integer fen" })
  subsidyFen!: Fen;

  @ApiFen({ description: "The merchant's share of the discount, integer fen" })
  merchantFundedFen!: Fen;

  @ApiProperty({ description: "The till's Idempotency-Key" })
  idempotencyKey!: string;

  @ApiProperty({
    type: TrailReversalDto,
    nullable: true,
    description: 'Its reversal (also an audit entry, redemption.reverse), if any',
  })
  reversal!: TrailReversalDto | null;
}

export class RedemptionTrailPageDto {
  @ApiProperty({ type: [RedemptionTrailEntryDto], description: 'Newest first' })
  items!: RedemptionTrailEntryDto[];

  @ApiInteger()
  total!: number;

  @ApiInteger()
  limit!: number;

  @ApiInteger()
  offset!: number;
}

/** One merchant's business day: what the index on redemptions serves (merchant, day, time). */
export class RedemptionTrailQueryDto extends PageQueryDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  merchantId!: string;

  @ApiBusinessDay({ example: '2026-11-26', description: 'The business day (Asia/Shanghai) of the redemptions' })
  @IsBusinessDay()
  businessDay!: string;
}
