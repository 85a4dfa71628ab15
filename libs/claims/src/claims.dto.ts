import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { DiscountKind, RoundMode, VoucherStatus } from '@quan/data';
import { Fen } from '@quan/domain';
import { ApiDateTime, ApiFen, ApiInteger, JsonSchemaOf } from '@quan/platform';

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

  @ApiFen({ description: 'Order amount needed (满), in fen; 0 for none' })
  thresholdFen!: Fen;

  @ApiFen({ nullable: true, description: 'Amount off (减), in fen' })
  discountFen!: Fen | null;

  @ApiInteger({ nullable: true, description: 'Percentage off (折扣), 1–99' })
  percentOff!: number | null;

  @ApiFen({ nullable: true, description: 'Most a percentage discount takes off, in fen' })
  capFen!: Fen | null;
}

export class OfferVoucherDto extends DiscountRuleDto {
  @ApiProperty()
  voucherTypeId!: string;

  @ApiProperty({ example: '满30减5' })
  name!: string;

  @ApiInteger({ example: 2 })
  quantity!: number;
}

export class OpenOfferDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: '满减券包（2×5 + 2×10 + 1×20 元）' })
  name!: string;

  @ApiInteger()
  stock!: number;

  @ApiInteger({ description: 'Claims left; updated at least every half second' })
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

  @ApiDateTime({ example: '2026-05-01T10:00:00+08:00' })
  opensAt!: string;

  @ApiDateTime({ example: '2026-05-01T22:00:00+08:00' })
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

  @ApiProperty({ example: '7KQ2-M9XD-4TZ', description: 'For manual entry at the till; the last symbol is a check symbol' })
  shortCode!: string;

  @ApiProperty({ enum: VoucherStatus, enumName: 'VoucherStatus' })
  status!: VoucherStatus;

  @ApiDateTime({ example: '2026-05-01T00:00:00+08:00' })
  validFrom!: string;

  @ApiDateTime({ example: '2026-06-01T00:00:00+08:00' })
  validUntil!: string;

  @ApiDateTime({ example: '2026-05-01T10:00:03+08:00' })
  claimedAt!: string;
}

export class ClaimResultDto {
  @ApiProperty()
  claimId!: string;

  @ApiProperty()
  roundId!: string;

  @ApiProperty()
  offerId!: string;

  @ApiDateTime({ example: '2026-05-01T10:00:03+08:00' })
  claimedAt!: string;

  @ApiProperty({ type: [VoucherDto] })
  vouchers!: VoucherDto[];
}
