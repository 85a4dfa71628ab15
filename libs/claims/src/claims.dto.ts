import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DiscountKind, RoundMode, VoucherStatus } from '@quan/data';
import { Fen } from '@quan/domain';
import { JsonSchemaOf } from '@quan/platform';

export class ListRoundsQuery {
  @ApiPropertyOptional({ enum: ['open'], default: 'open', description: 'open: the rounds open now and the upcoming ones' })
  @IsOptional()
  @IsIn(['open'])
  status?: 'open';
}

export interface ClaimRequest {
  offerId: string;
}

/** The claim body, validated by a compiled schema on the hot path (see SchemaPipe) and documented as is. */
export const CLAIM_REQUEST_SCHEMA: JsonSchemaOf<ClaimRequest> = {
  type: 'object',
  required: ['offerId'],
  additionalProperties: false,
  properties: { offerId: { type: 'string', format: 'uuid', description: 'The offer of the round to claim' } },
};

/** What a voucher does, as shown before and after claiming. */
export class DiscountRuleDto {
  @ApiProperty({ enum: DiscountKind, enumName: 'DiscountKind' })
  kind!: DiscountKind;

  @ApiProperty({ description: 'Order amount needed (满), in fen; 0 for none' })
  thresholdFen!: Fen;

  @ApiProperty({ nullable: true, type: Number, description: 'Amount off (减), in fen' })
  discountFen!: Fen | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Percentage off (折扣), 1–99' })
  percentOff!: number | null;

  @ApiProperty({ nullable: true, type: Number, description: 'Most a percentage discount takes off, in fen' })
  capFen!: Fen | null;
}

export class OfferVoucherDto extends DiscountRuleDto {
  @ApiProperty()
  voucherTypeId!: string;

  @ApiProperty({ example: '满30减5' })
  name!: string;

  @ApiProperty({ example: 2 })
  quantity!: number;
}

export class OpenOfferDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: '满减券包（2×5 + 2×10 + 1×20 元）' })
  name!: string;

  @ApiProperty()
  stock!: number;

  @ApiProperty({ description: 'Claims left; updated at least every half second' })
  remaining!: number;

  @ApiProperty({ type: [OfferVoucherDto] })
  vouchers!: OfferVoucherDto[];
}

/** A round as residents see it: open or upcoming, with its offers and the stock left. */
export class OpenRoundDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  campaignId!: string;

  @ApiProperty({ example: '秦乐购·第七期消费券' })
  campaignName!: string;

  @ApiProperty({ example: '第一场' })
  name!: string;

  @ApiProperty({ enum: RoundMode, enumName: 'RoundMode' })
  mode!: RoundMode;

  @ApiProperty({ format: 'date-time' })
  opensAt!: string;

  @ApiProperty({ format: 'date-time' })
  closesAt!: string;

  @ApiProperty({ enum: ['open', 'upcoming'] })
  status!: 'open' | 'upcoming';

  @ApiProperty({ type: [OpenOfferDto] })
  offers!: OpenOfferDto[];
}

export class VoucherDto extends DiscountRuleDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  campaignId!: string;

  @ApiProperty()
  voucherTypeId!: string;

  @ApiProperty({ example: '满30减5' })
  name!: string;

  @ApiProperty({ example: '7KQ2-M9XD-4TZ8', description: 'For manual entry at the till; the last symbol is a check symbol' })
  shortCode!: string;

  @ApiProperty({ enum: VoucherStatus, enumName: 'VoucherStatus' })
  status!: VoucherStatus;

  @ApiProperty({ format: 'date-time' })
  validFrom!: string;

  @ApiProperty({ format: 'date-time' })
  validUntil!: string;

  @ApiProperty({ format: 'date-time' })
  claimedAt!: string;
}

export class ClaimResultDto {
  @ApiProperty()
  claimId!: string;

  @ApiProperty()
  roundId!: string;

  @ApiProperty()
  offerId!: string;

  @ApiProperty({ format: 'date-time' })
  claimedAt!: string;

  @ApiProperty({ type: [VoucherDto] })
  vouchers!: VoucherDto[];
}
