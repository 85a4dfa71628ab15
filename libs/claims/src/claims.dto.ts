import { ApiProperty } from '@nestjs/swagger';
import { DiscountKind, RoundMode, ValidityKind, VoucherStatus } from '@quan/data';
import { Fen } from '@quan/domain';
import { ApiDateTime, ApiFen, ApiInteger, IsValueList, JsonSchemaOf } from '@quan/platform';

/** What the round listing can be asked for; upcoming reaches UPCOMING_HORIZON_DAYS ahead. */
export const ROUND_LISTING_STATUSES = ['open', 'upcoming'] as const;
export type RoundListingStatus = (typeof ROUND_LISTING_STATUSES)[number];
export const UPCOMING_HORIZON_DAYS = 7;
/** A page waiting for a round asks again at least this often (seconds), so a rescheduled round is seen. */
export const ROUND_POLL_MAX_S = 60;
/** Pages waiting for an opening ask again within this many milliseconds after it, each at a random moment. */
export const ROUND_OPENING_SPREAD_MS = 1000;

export class ListRoundsQuery {
  @IsValueList(
    ROUND_LISTING_STATUSES,
    `open (the default): rounds open now; upcoming: rounds opening within the next ${UPCOMING_HORIZON_DAYS} days`,
  )
  status?: RoundListingStatus[];
}

/** The wallet's filter: a voucher's status as the resident sees it (a claimed voucher past its validity is expired). */
export class ListVouchersQuery {
  @IsValueList(Object.values(VoucherStatus), 'Only vouchers in these statuses (all when absent)')
  status?: VoucherStatus[];
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

export class CategoryRefDto {
  @ApiProperty({ example: 'catering' })
  code!: string;

  @ApiProperty({ example: '餐饮' })
  name!: string;
}

/**
 * How long a voucher of a type is valid: a fixed window (validFrom, validUntil), or `days` business days
 * from the claim (to the end of the Nth day in Asia/Shanghai, the claim day being day 1).
 */
export class ValidityRuleDto {
  @ApiProperty({ enum: ValidityKind, enumName: 'ValidityKind' })
  kind!: ValidityKind;

  @ApiProperty({ type: String, format: 'date-time', nullable: true, description: 'fixed_window: first moment of use' })
  validFrom!: string | null;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'fixed_window: usable until this moment',
  })
  validUntil!: string | null;

  @ApiProperty({
    type: 'integer',
    nullable: true,
    example: 7,
    description: 'days_from_claim: the number of business days',
  })
  days!: number | null;
}

/** What a voucher does, as shown before and after claiming. */
export class DiscountRuleDto {
  @ApiProperty({
    enum: DiscountKind,
    enumName: 'DiscountKind',
    description: 'threshold 满减, fixed 直减, percentage 折扣',
  })
  kind!: DiscountKind;

  @ApiFen({ example: 3000, description: 'Order amount needed (满), in fen; 0 for none' })
  thresholdFen!: Fen;

  @ApiFen({ nullable: true, example: 500, description: 'Amount off (减), in fen' })
  discountFen!: Fen | null;

  @ApiInteger({ nullable: true, description: 'Percentage off (折扣), 1–99' })
  percentOff!: number | null;

  @ApiFen({ nullable: true, description: 'Most a percentage discount takes off, in fen' })
  capFen!: Fen | null;

  @ApiProperty({
    type: [CategoryRefDto],
    description: 'Categories of merchant where it is usable; empty: every category',
  })
  categories!: CategoryRefDto[];

  @ApiProperty({ type: ValidityRuleDto })
  validity!: ValidityRuleDto;
}

export class OfferVoucherDto extends DiscountRuleDto {
  @ApiProperty({ format: 'uuid' })
  voucherTypeId!: string;

  @ApiProperty({ example: '满30减5' })
  name!: string;

  @ApiInteger({ example: 2, description: 'Vouchers of this type in one pack (份)' })
  quantity!: number;
}

export class OpenOfferDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '满减券包（2×5 + 2×10 + 1×20 元）' })
  name!: string;

  @ApiInteger({ example: 1000, description: 'Packs (份) offered in the round' })
  stock!: number;

  @ApiInteger({ example: 640, description: 'Packs left; updated at least every half second' })
  remaining!: number;

  @ApiProperty({ type: [OfferVoucherDto] })
  vouchers!: OfferVoucherDto[];
}

/** A round as residents see it: open or upcoming, with its offers and the stock left. */
export class OpenRoundDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
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

  @ApiProperty({ enum: ROUND_LISTING_STATUSES, enumName: 'RoundListingStatus' })
  status!: RoundListingStatus;

  @ApiProperty({ type: [OpenOfferDto] })
  offers!: OpenOfferDto[];

  @ApiDateTime({
    example: '2026-05-01T09:59:58.250Z',
    description:
      "The server's time when it answered (to the millisecond): a countdown runs on it, not on the phone's clock",
  })
  serverTime!: string;

  @ApiInteger({
    nullable: true,
    description:
      `For a round not yet open: milliseconds after which to ask again, at most ${ROUND_POLL_MAX_S} s, and at the opening a moment ` +
      `spread over its first ${ROUND_OPENING_SPREAD_MS} ms so that waiting pages do not all ask at once; null once open`,
  })
  pollAfterMs!: number | null;
}

export class VoucherDto extends DiscountRuleDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ example: '秦乐购·第七期消费券' })
  campaignName!: string;

  @ApiProperty({ format: 'uuid' })
  voucherTypeId!: string;

  @ApiProperty({ example: '满30减5' })
  name!: string;

  @ApiProperty({
    example: '7KQ2-M9XD-4TZ8',
    description: 'For manual entry at the till; the last symbol is a check symbol',
  })
  shortCode!: string;

  @ApiProperty({
    enum: VoucherStatus,
    enumName: 'VoucherStatus',
    description: 'A claimed voucher past its validUntil is answered as expired',
  })
  status!: VoucherStatus;

  @ApiDateTime({ example: '2026-05-01T00:00:00+08:00' })
  validFrom!: string;

  @ApiDateTime({ example: '2026-06-01T00:00:00+08:00' })
  validUntil!: string;

  @ApiDateTime({ example: '2026-05-01T10:00:03+08:00' })
  claimedAt!: string;
}

export enum VoucherEventKind {
  Claimed = 'claimed',
  Redeemed = 'redeemed',
  Reversed = 'reversed',
  Expired = 'expired',
}

/** One step of a voucher's life; a redemption and its reversal name the merchant and the order. */
export class VoucherEventDto {
  @ApiProperty({ enum: VoucherEventKind, enumName: 'VoucherEventKind' })
  kind!: VoucherEventKind;

  @ApiProperty({ type: String, format: 'date-time', description: 'expired: the end of its validity' })
  at!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  redemptionId!: string | null;

  @ApiProperty({ type: String, nullable: true, example: '汉滨汉水酒家（001号店）' })
  merchantName!: string | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 12800, description: 'The order amount, in fen' })
  orderAmountFen!: Fen | null;

  @ApiProperty({ type: 'integer', nullable: true, example: 2000, description: 'The discount the voucher gave, in fen' })
  discountFen!: Fen | null;
}

export class VoucherDetailDto extends VoucherDto {
  @ApiProperty({
    type: [VoucherEventDto],
    description: 'Oldest first: claimed, then each redemption and reversal, or expired',
  })
  history!: VoucherEventDto[];
}

export class ClaimResultDto {
  @ApiProperty({ format: 'uuid' })
  claimId!: string;

  @ApiProperty({ format: 'uuid' })
  roundId!: string;

  @ApiProperty({ format: 'uuid' })
  offerId!: string;

  @ApiDateTime({ example: '2026-05-01T10:00:03+08:00' })
  claimedAt!: string;

  @ApiProperty({ type: [VoucherDto] })
  vouchers!: VoucherDto[];
}
