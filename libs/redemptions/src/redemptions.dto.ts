import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches } from 'class-validator';
import { DiscountKind } from '@quan/data';
import { Fen } from '@quan/domain';
import { IsFen, IsOmittable } from '@quan/platform';

/** What the cashier's till sends: the scanned token or the typed short code (exactly one), and the order. */
export class RedemptionRequestDto {
  @ApiPropertyOptional({ description: "The token of the resident's QR code" })
  @IsOmittable()
  @IsString()
  @Length(1, 2048)
  token?: string;

  @ApiPropertyOptional({ example: '7KQ2-M9XD-4TZ8', description: 'The short code printed on the voucher, when the camera fails' })
  @IsOmittable()
  @IsString()
  @Length(1, 32)
  code?: string;

  @ApiProperty({ example: 12800, description: 'The order amount before the discount, in fen' })
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
  @ApiPropertyOptional({ example: '2026-11-27', description: 'Business day (Asia/Shanghai); today when omitted' })
  @IsOptional()
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be YYYY-MM-DD' })
  date?: string;
}

export class QrTokenDto {
  @ApiProperty({ description: 'Render as a QR code; refresh before expiresAt' })
  token!: string;

  @ApiProperty({ format: 'date-time' })
  expiresAt!: string;

  @ApiProperty({ description: 'The token rendered as a QR code (SVG markup), for pages that draw no QR codes themselves' })
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

  @ApiProperty()
  thresholdFen!: Fen;

  @ApiProperty({ format: 'date-time' })
  validUntil!: string;
}

export class QuoteDto {
  @ApiProperty()
  orderAmountFen!: Fen;

  @ApiProperty({ description: 'Taken off the order' })
  discountFen!: Fen;

  @ApiProperty({ description: 'The bureau pays this share of the discount to the merchant (settlement)' })
  subsidyFen!: Fen;

  @ApiProperty({ description: "The merchant's own share of the discount" })
  merchantFundedFen!: Fen;

  @ApiProperty({ description: 'What the resident pays' })
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

  @ApiProperty({ example: '2026-11-27', description: 'The business day it counts in' })
  businessDay!: string;

  @ApiProperty({ format: 'date-time' })
  redeemedAt!: string;

  @ApiProperty({ nullable: true, type: String, format: 'date-time' })
  reversedAt!: string | null;

  @ApiProperty({ nullable: true, type: String, example: '2026-11-27' })
  reversalBusinessDay!: string | null;
}

export class RedemptionTotalsDto {
  @ApiProperty({ description: 'Redemptions of the day not reversed' })
  count!: number;

  @ApiProperty()
  reversed!: number;

  @ApiProperty()
  orderAmountFen!: Fen;

  @ApiProperty()
  discountFen!: Fen;

  @ApiProperty()
  subsidyFen!: Fen;

  @ApiProperty()
  merchantFundedFen!: Fen;
}

export class RedemptionListDto {
  @ApiProperty({ example: '2026-11-27' })
  date!: string;

  @ApiProperty({ type: [RedemptionDto], description: 'Newest first, at most 1,000' })
  items!: RedemptionDto[];

  @ApiProperty({ type: RedemptionTotalsDto, description: 'Of the whole day (reversed redemptions excluded)' })
  totals!: RedemptionTotalsDto;
}
