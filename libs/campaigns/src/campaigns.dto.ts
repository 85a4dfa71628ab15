import { ApiProperty, ApiPropertyOptional, OmitType, PartialType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsEnum,
  IsInt,
  IsNumber,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { CampaignStatus, DiscountKind, RoundMode, ValidityKind } from '@quan/domain';
import {
  ApiDateTime,
  ApiFen,
  ApiInteger,
  IsFen,
  IsInt32,
  IsIsoDateTime,
  IsNestedObject,
  IsOmittable,
  NULL_IS_A_VALUE,
  PageQueryDto,
} from '@quan/platform';

const MAX_INT = 2_147_483_647;

export class LimitsDto {
  @ApiInteger({
    minimum: 1,
    example: 1,
    description:
      'Packs (份) one verified person may claim in the campaign: one claim of an offer is one pack, however many vouchers it grants',
  })
  @IsInt()
  @Min(1)
  @Max(1000)
  perPerson!: number;

  @ApiInteger({
    required: false,
    nullable: true,
    minimum: 1,
    description: 'Packs (份) per person per round; at most perPerson',
  })
  @IsOptional()
  @IsInt32()
  @Min(1)
  perPersonPerRound?: number | null;

  @ApiInteger({
    required: false,
    nullable: true,
    minimum: 1,
    description: 'Packs (份) per person per business day (Asia/Shanghai); at most perPerson',
  })
  @IsOptional()
  @IsInt32()
  @Min(1)
  perPersonPerDay?: number | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'integer', minimum: 1 },
    example: { automobile: 1 },
    description:
      'Category code -> packs (份) per person with a voucher usable there (a pack counts once per category); each at most perPerson',
  })
  @IsOmittable()
  @IsObject()
  perPersonPerCategory?: Record<string, number>;

  @ApiInteger({
    required: false,
    nullable: true,
    minimum: 1,
    description: 'Redemptions one merchant may accept per business day',
  })
  @IsOptional()
  @IsInt32()
  @Min(1)
  merchantDailyRedemptions?: number | null;

  @ApiFen({
    required: false,
    nullable: true,
    minimum: 1,
    description: 'Subsidy (fen) one merchant may earn per business day',
  })
  @IsOptional()
  @IsFen({ min: 1 })
  merchantDailySubsidyCapFen?: number | null;
}

export class EligibilityDto {
  @ApiPropertyOptional({
    type: [String],
    example: ['catering', 'retail'],
    description: 'Eligible merchant categories; empty: all',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  categoryCodes?: string[];

  @ApiPropertyOptional({
    type: [String],
    example: ['hanbin'],
    description: 'Eligible counties; empty: all of the scope',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  countyCodes?: string[];

  @ApiPropertyOptional({
    type: [String],
    format: 'uuid',
    description: 'Merchants admitted whatever their category or county',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10000)
  @IsUUID(undefined, { each: true })
  allowMerchantIds?: string[];

  @ApiPropertyOptional({ type: [String], format: 'uuid', description: 'Merchants never admitted' })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(10000)
  @IsUUID(undefined, { each: true })
  denyMerchantIds?: string[];

  @ApiPropertyOptional({ default: false, description: 'Only 限上企业' })
  @IsOmittable()
  @IsBoolean()
  aboveQuotaOnly?: boolean;
}

export class NewCampaignDto {
  @ApiProperty({ example: 'QLG-08', description: 'Permanent business key: 2–32 characters of A-Z, 0-9 or "-"' })
  @Matches(/^[A-Z0-9][A-Z0-9-]{1,31}$/, { message: 'code must be 2-32 characters of A-Z, 0-9 or "-"' })
  code!: string;

  @ApiProperty({ example: '秦乐购·第八期消费券' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    example: 'hanbin',
    description: 'null or absent: city-wide (city admins only); a county admin names their own county',
  })
  @IsOptional()
  @IsString()
  scopeCountyCode?: string | null;

  @ApiFen({ example: 500000000, description: 'fen' })
  @IsFen({ min: 1 })
  budgetFen!: number;

  @ApiPropertyOptional({
    default: false,
    description:
      '超发: issue more vouchers than the budget covers (the worst case may exceed it); redemptions then stop at the budget with BUDGET_EXHAUSTED',
  })
  @IsOmittable()
  @IsBoolean()
  issueBeyondBudget?: boolean;

  @ApiDateTime({
    example: '2026-05-01T00:00:00+08:00',
    description: 'The campaign begins (its first round opens no earlier)',
  })
  @IsIsoDateTime()
  startsAt!: string;

  @ApiDateTime({ example: '2026-05-31T23:59:59+08:00', description: 'The campaign ends (exclusive)' })
  @IsIsoDateTime()
  endsAt!: string;

  @ApiProperty({ type: LimitsDto })
  @IsNestedObject(() => LimitsDto)
  limits!: LimitsDto;

  @ApiPropertyOptional({ type: EligibilityDto })
  @IsOmittable()
  @IsNestedObject(() => EligibilityDto)
  eligibility?: EligibilityDto;
}

/** Draft changes: any field but the code; limits and eligibility are replaced as a whole. */
export class CampaignChangesDto extends PartialType(OmitType(NewCampaignDto, ['code'] as const), NULL_IS_A_VALUE) {}

export class VoucherTypeInputDto {
  @ApiProperty({ example: '满100减20' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    enum: DiscountKind,
    enumName: 'DiscountKind',
    description: 'threshold 满减, fixed 直减, percentage 折扣',
  })
  @IsEnum(DiscountKind)
  kind!: DiscountKind;

  @ApiFen({
    required: false,
    default: 0,
    description: 'fen; 满减: above discountFen; 折扣: optional minimum order; 直减: 0',
  })
  @IsOmittable()
  @IsFen({ min: 0 })
  thresholdFen?: number;

  @ApiFen({ required: false, nullable: true, description: 'fen; 满减 and 直减' })
  @IsOptional()
  @IsFen()
  discountFen?: number | null;

  @ApiInteger({ required: false, nullable: true, description: '折扣: whole percent off, 1–99' })
  @IsOptional()
  @IsNumber()
  percentOff?: number | null;

  @ApiFen({ required: false, nullable: true, description: 'fen; 折扣: the most one voucher takes off' })
  @IsOptional()
  @IsFen()
  capFen?: number | null;

  @ApiPropertyOptional({
    type: [String],
    example: ['catering'],
    description: 'Categories where it can be used; empty: all eligible',
  })
  @IsOmittable()
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  categoryCodes?: string[];

  @ApiProperty({ enum: ValidityKind, enumName: 'ValidityKind' })
  @IsEnum(ValidityKind)
  validityKind!: ValidityKind;

  @ApiDateTime({
    required: false,
    nullable: true,
    example: '2026-05-01T00:00:00+08:00',
    description: 'fixed_window: first moment of use',
  })
  @IsOptional()
  @IsIsoDateTime()
  validFrom?: string | null;

  @ApiDateTime({
    required: false,
    nullable: true,
    example: '2026-06-01T00:00:00+08:00',
    description: 'fixed_window: end of use (exclusive)',
  })
  @IsOptional()
  @IsIsoDateTime()
  validUntil?: string | null;

  @ApiInteger({ required: false, nullable: true, description: 'days_from_claim: days a voucher stays valid' })
  @IsOptional()
  @IsInt()
  @Max(3660)
  validDays?: number | null;

  @ApiInteger({
    required: false,
    default: 10000,
    description: 'Share of each discount the bureau pays, in basis points (0–10000); the merchant funds the rest',
  })
  @IsOmittable()
  @IsInt32()
  bureauShareBp?: number;
}

export class VoucherTypeDto extends VoucherTypeInputDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiFen({ description: 'fen: the most the bureau pays for one voucher of this type' })
  maxBureauSubsidyFen!: number;
}

export class OfferItemDto {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  voucherTypeId!: string;

  @ApiInteger({ minimum: 1, maximum: 100, example: 2 })
  @IsInt32()
  quantity!: number;
}

export class OfferInputDto {
  @ApiProperty({ example: '满减券包（2×5 + 2×10 + 1×20 元）' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiInteger({ example: 20000, description: 'How many times the offer can be claimed in the round' })
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  stock!: number;

  @ApiProperty({ type: [OfferItemDto], description: 'One voucher, or a pack of several types and quantities' })
  @IsArray()
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  @Type(() => OfferItemDto)
  items!: OfferItemDto[];
}

export class OfferDto extends OfferInputDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;
}

export class RoundInputDto {
  @ApiProperty({ example: '第一场' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ enum: RoundMode, enumName: 'RoundMode' })
  @IsEnum(RoundMode)
  mode!: RoundMode;

  @ApiDateTime({ example: '2026-05-01T10:00:00+08:00', description: 'Claims (or lottery registrations) open' })
  @IsIsoDateTime()
  opensAt!: string;

  @ApiDateTime({ example: '2026-05-01T22:00:00+08:00', description: 'Claims (or registrations) close (exclusive)' })
  @IsIsoDateTime()
  closesAt!: string;

  @ApiDateTime({
    required: false,
    nullable: true,
    example: '2026-05-02T10:00:00+08:00',
    description: 'Lottery rounds: the draw, at or after closesAt',
  })
  @IsOptional()
  @IsIsoDateTime()
  drawAt?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description:
      'A later round of this campaign that receives the unclaimed stock; it must have an offer granting the same vouchers for each offer of this round',
  })
  @IsOptional()
  @IsUUID()
  rollForwardToRoundId?: string | null;

  @ApiProperty({ type: [OfferInputDto] })
  @IsArray()
  @ArrayMaxSize(50)
  @ValidateNested({ each: true })
  @Type(() => OfferInputDto)
  offers!: OfferInputDto[];
}

export class RoundDto extends OmitType(RoundInputDto, ['offers'] as const) {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ description: 'A paused round takes no claims' })
  paused!: boolean;

  @ApiProperty({ type: [OfferDto] })
  offers!: OfferDto[];
}

export class CampaignSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: 'QLG-07' })
  code!: string;

  @ApiProperty({ example: '秦乐购·第七期消费券' })
  name!: string;

  @ApiProperty({ enum: CampaignStatus, enumName: 'CampaignStatus' })
  status!: CampaignStatus;

  @ApiProperty({ type: String, nullable: true, description: 'null: city-wide' })
  scopeCountyCode!: string | null;

  @ApiFen({ description: 'fen' })
  budgetFen!: number;

  @ApiProperty({ description: '超发: vouchers may be issued beyond the budget; redemptions stop at it' })
  issueBeyondBudget!: boolean;

  @ApiDateTime({ example: '2026-05-01T00:00:00+08:00' })
  startsAt!: string;

  @ApiDateTime({ example: '2026-05-31T23:59:59+08:00' })
  endsAt!: string;

  @ApiProperty({ type: LimitsDto })
  limits!: Required<LimitsDto>;

  @ApiProperty({ type: EligibilityDto })
  eligibility!: Required<EligibilityDto>;

  @ApiProperty({ format: 'uuid' })
  createdById!: string;

  @ApiProperty({
    type: [String],
    description: 'Everyone who made or changed the configuration: none of them may approve it',
  })
  makerIds!: string[];

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedById!: string | null;

  @ApiDateTime({ nullable: true, example: '2026-04-25T16:20:00+08:00' })
  approvedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last approval was refused' })
  reviewNote!: string | null;

  @ApiInteger({ description: 'Increases with every change' })
  version!: number;

  @ApiDateTime({ example: '2026-04-28T09:05:00+08:00' })
  updatedAt!: string;
}

export class CampaignDto extends CampaignSummaryDto {
  @ApiProperty({ description: 'Every round has been paused' })
  paused!: boolean;

  @ApiFen({
    description:
      'fen: every unit of stock claimed and redeemed for its largest discount; never above budgetFen unless issueBeyondBudget',
  })
  worstCaseSubsidyFen!: number;

  @ApiProperty({ type: [VoucherTypeDto] })
  voucherTypes!: VoucherTypeDto[];

  @ApiProperty({ type: [RoundDto] })
  rounds!: RoundDto[];
}

export class CampaignPageDto {
  @ApiProperty({ type: [CampaignSummaryDto] })
  items!: CampaignSummaryDto[];

  @ApiInteger({ description: 'Items matching the filter, on all pages' })
  total!: number;
}

export class CampaignQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: CampaignStatus, enumName: 'CampaignStatus' })
  @IsOptional()
  @IsEnum(CampaignStatus)
  status?: CampaignStatus;

  @ApiPropertyOptional({
    example: 'hanbin',
    description: 'A county code, or "city" for the city-wide campaigns (scopeCountyCode null)',
  })
  @IsOptional()
  @IsString()
  scopeCountyCode?: string;
}

export class RejectCampaignDto {
  @ApiProperty({ example: '预算测算依据不足' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ExtendCampaignDto {
  @ApiDateTime({ example: '2026-06-15T23:59:59+08:00', description: 'The new end: not earlier than the current one' })
  @IsIsoDateTime()
  endsAt!: string;
}

export class ExtendRoundDto {
  @ApiDateTime({ example: '2026-05-02T22:00:00+08:00', description: 'The new close: not earlier than the current one' })
  @IsIsoDateTime()
  closesAt!: string;

  @ApiDateTime({
    required: false,
    example: '2026-05-03T10:00:00+08:00',
    description: 'Lottery rounds: a new draw time, not earlier than the current one',
  })
  @IsOmittable()
  @IsIsoDateTime()
  drawAt?: string;
}

export class OfferStockDto {
  @ApiInteger({
    example: 25000,
    description:
      'The new stock of the offer in this round: not less than now (setting the same value again changes nothing)',
  })
  @IsInt()
  @Min(0)
  @Max(MAX_INT)
  stock!: number;
}

/** The `scopeCountyCode` filter value of city-wide campaigns. */
export const CITY_SCOPE = 'city';
