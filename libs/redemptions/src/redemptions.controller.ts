import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  CurrentPrincipal,
  CurrentStaff,
  MERCHANT_STAFF,
  ResidentAccess,
  ResidentPrincipal,
  StaffAccess,
  StaffPrincipal,
} from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { requiredIdempotencyKey } from '@quan/platform';
import {
  QrTokenDto,
  QuoteDto,
  RedemptionDto,
  RedemptionListDto,
  RedemptionRequestDto,
  RedemptionsQuery,
  ReversalRequestDto,
} from './redemptions.dto';
import { QrTokens } from './qr-tokens';
import { RedemptionDecider } from './redemption-decider';
import { RedemptionQueries } from './redemption-queries';
import { Reversals } from './reversals';

/** Checks every redemption request answers before any counting. */
const VOUCHER_CHECKS = [
  ErrorCode.ValidationFailed,
  ErrorCode.TokenInvalid,
  ErrorCode.TokenExpired,
  ErrorCode.ShortCodeInvalid,
  ErrorCode.VoucherNotFound,
  ErrorCode.AlreadyRedeemed,
  ErrorCode.VoucherExpired,
  ErrorCode.VoucherNotYetValid,
  ErrorCode.VoucherRevoked,
  ErrorCode.ThresholdNotMet,
  ErrorCode.MerchantNotApproved,
  ErrorCode.MerchantNotEligible,
  ErrorCode.CategoryNotEligible,
];

@ApiTags('redemptions')
@Controller()
export class RedemptionsController {
  constructor(
    private readonly decider: RedemptionDecider,
    private readonly reversals: Reversals,
    private readonly queries: RedemptionQueries,
    private readonly qrTokens: QrTokens,
  ) {}

  @Post('me/vouchers/:id/qr')
  @ApiOperation({ summary: "A short-lived QR token for one of the resident's vouchers" })
  @HttpCode(200)
  @ResidentAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.VoucherNotFound,
    ErrorCode.AlreadyRedeemed,
    ErrorCode.VoucherExpired,
    ErrorCode.VoucherNotYetValid,
    ErrorCode.VoucherRevoked,
  )
  @ApiOkResponse({ type: QrTokenDto, description: 'A signed token for the QR code, valid for at most a minute' })
  qr(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<QrTokenDto> {
    return this.qrTokens.qrToken(resident.id, id);
  }

  @Post('merchant/redemptions/quote')
  @ApiOperation({ summary: 'Quote a voucher against an order (changes nothing)' })
  @HttpCode(200)
  @StaffAccess(MERCHANT_STAFF, ...VOUCHER_CHECKS)
  @ApiOkResponse({ type: QuoteDto, description: 'What the redemption would give; changes nothing' })
  quote(@CurrentStaff() cashier: StaffPrincipal, @Body() body: RedemptionRequestDto): Promise<QuoteDto> {
    return this.decider.quote(cashier, body);
  }

  @Post('merchant/redemptions')
  @ApiOperation({ summary: 'Redeem a voucher against an order (核销)' })
  @HttpCode(201)
  @StaffAccess(
    MERCHANT_STAFF,
    ...VOUCHER_CHECKS,
    ErrorCode.BudgetExhausted,
    ErrorCode.MerchantLimitReached,
    ErrorCode.IdempotencyKeyReused,
    ErrorCode.RequestInProgress,
    ErrorCode.Unavailable,
  )
  @ApiHeader({
    name: 'Idempotency-Key',
    required: true,
    description: 'A retry with the same key and body gets the first answer',
  })
  @ApiCreatedResponse({ type: RedemptionDto })
  redeem(
    @CurrentStaff() cashier: StaffPrincipal,
    @Body() body: RedemptionRequestDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<RedemptionDto> {
    return this.decider.redeem(cashier, body, requiredIdempotencyKey(key));
  }

  @Post('merchant/redemptions/:id/reversal')
  @ApiOperation({ summary: 'Reverse a redemption of the merchant (撤销)' })
  @HttpCode(200)
  @StaffAccess(MERCHANT_STAFF, ErrorCode.ValidationFailed, ErrorCode.RedemptionNotFound, ErrorCode.ReversalWindowClosed)
  @ApiOkResponse({ type: RedemptionDto, description: 'The reversed redemption (reversing it again answers the same)' })
  reverse(
    @CurrentStaff() staff: StaffPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: ReversalRequestDto,
  ): Promise<RedemptionDto> {
    return this.reversals.reverse(staff, id, body.reason);
  }

  @Get('merchant/redemptions')
  @ApiOperation({ summary: "The merchant's redemptions of a business day, with totals" })
  @StaffAccess(MERCHANT_STAFF, ErrorCode.ValidationFailed)
  @ApiOkResponse({ type: RedemptionListDto })
  list(@CurrentStaff() staff: StaffPrincipal, @Query() query: RedemptionsQuery): Promise<RedemptionListDto> {
    return this.queries.list(staff.merchantId!, query.date);
  }
}
