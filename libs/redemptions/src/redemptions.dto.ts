import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { DiscountKind } from '@quan/data';
import { Fen } from '@quan/domain';
import { ApiBusinessDay, ApiDateTime, ApiFen, ApiInteger, IsFen, IsOmittable } from '@quan/platform';

/** What the cashier's till sends: the scanned token or the typed short code (exactly one), and the order. */
export class RedemptionRequestDto {
  @ApiPropertyOptional({ description: "The token of the resident's QR code" })
  @IsOmittable()
  @IsString()
  @Length(1, 2048)
  token?: string;

  @ApiPropertyOptional({
    example: '7KQ2-M9XD-4TZ8',
    description: 'The short code printed on the voucher, when the camera fails',
  })
  @IsOmittable()
  @IsString()
  @Length(1, 32)
  code?: string;

  @ApiFen({ example: 12800, description: 'The order amount before the discount, in fen' })
  @IsFen({ min: 1, max: 100_000_000_00 })
  orderAmountFen!: number;
}

export class ReversalRequestDto {
  @ApiPropertyOptional({ example: '顾客退货', description: 'Why the redemption is reversed' })
  @IsOmittable()
  @IsString()
  @Length(1, 200)
  reason?: string;
}

export class RedemptionsQuery {
  @ApiBusinessDay({
    required: false,
    example: '2026-11-27',
    description: 'Business day (Asia/Shanghai); today when omitted',
  })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

export class QrTokenDto {
  @ApiProperty({ description: 'Render as a QR code; refresh before expiresAt' })
  token!: string;

  @ApiDateTime({ example: '2026-11-27T14:30:45+08:00' })
  expiresAt!: string;

  @ApiProperty({
    description: 'The token rendered as a QR code (SVG markup), for pages that draw no QR codes themselves',
  })
  svg!: string;
}

export class RedeemedVoucherDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({ example: '7KQ2-M9XD-4TZ8' })
  shortCode!: string;

  @ApiProperty()
  campaignId!: string;

  @ApiProperty()
  voucherTypeId!: string;

  @ApiProperty({ example: '满100减20' })
  name!: string;

  @ApiProperty({ enum: DiscountKind, enumName: 'DiscountKind' })
  kind!: DiscountKind;

  @ApiFen({ example: 10000 })
  thresholdFen!: Fen;

  @ApiDateTime({ example: '2026-12-01T00:00:00+08:00' })
  validUntil!: string;
}

export class QuoteDto {
  @ApiFen({ example: 12800 })
  orderAmountFen!: Fen;

  @ApiFen({ example: 2000, description: 'Taken off the order' })
  discountFen!: Fen;

  @ApiFen({ example: 2000, description: 'The bureau pays this share of the discount to the merchant (settlement)' })
  subsidyFen!: Fen;

  @ApiFen({ example: 0, description: "The merchant's own share of the discount" })
  merchantFundedFen!: Fen;

  @ApiFen({ example: 10800, description: 'What the resident pays' })
  payableFen!: Fen;

  @ApiProperty({ type: RedeemedVoucherDto })
  voucher!: RedeemedVoucherDto;
}

export class RedemptionDto extends QuoteDto {
  @ApiProperty()
  id!: string;

  @ApiProperty()
  merchantId!: string;

  @ApiProperty({ description: 'The staff account that confirmed it' })
  cashierId!: string;

  @ApiBusinessDay({ example: '2026-11-27', description: 'The business day it counts in' })
  businessDay!: string;

  @ApiDateTime({ example: '2026-11-27T14:30:12+08:00' })
  redeemedAt!: string;

  @ApiDateTime({ nullable: true, example: '2026-11-27T15:02:40+08:00' })
  reversedAt!: string | null;

  @ApiBusinessDay({ nullable: true, example: '2026-11-28', description: 'The business day the reversal counts in' })
  reversalBusinessDay!: string | null;
}

export class RedemptionTotalsDto {
  @ApiInteger({ description: 'Redemptions of the day not reversed' })
  count!: number;

  @ApiInteger({ description: 'Redemptions of the day reversed since' })
  reversed!: number;

  @ApiFen()
  orderAmountFen!: Fen;

  @ApiFen()
  discountFen!: Fen;

  @ApiFen()
  subsidyFen!: Fen;

  @ApiFen()
  merchantFundedFen!: Fen;
}

export class RedemptionListDto {
  @ApiBusinessDay({ example: '2026-11-27' })
  date!: string;

  @ApiProperty({ type: [RedemptionDto], description: 'Newest first, at most 1,000' })
  items!: RedemptionDto[];

  @ApiProperty({ type: RedemptionTotalsDto, description: 'Of the whole day (reversed redemptions excluded)' })
  totals!: RedemptionTotalsDto;
}
