import { Controller, Get, Header, HttpCode, Param, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
  SchemaObject,
} from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, CurrentPrincipal, noteActing, PublicAccess, ResidentAccess, ResidentPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { optionalIdempotencyKey, problemCodeOf, replyWithProblem, SchemaPipe, ServedDirectly } from '@quan/platform';
import { ClaimActivity, CLAIMED } from './claim-activity';
import {
  CLAIM_REQUEST_SCHEMA,
  ClaimResultDto,
  ListRoundsQuery,
  ListVouchersQuery,
  OpenRoundDto,
  UPCOMING_HORIZON_DAYS,
  VoucherDetailDto,
  VoucherDto,
} from './claims.dto';
import { ClaimsService } from './claims.service';
import { WalletQueries } from './wallet-queries';

/**
 * Every open page polls the listing: shared caches and browsers may keep an answer as long as the
 * catalog keeps its snapshot (2 s), so a burst of polls reaches the api at most once per 2 s per cache.
 */
const ROUNDS_CACHE_CONTROL = 'public, max-age=2';

@ApiTags('claims')
@Controller()
export class ClaimsController {
  private readonly roundIds = new ParseUUIDPipe();
  private readonly body = new SchemaPipe(CLAIM_REQUEST_SCHEMA);

  constructor(
    private readonly claims: ClaimsService,
    private readonly wallet: WalletQueries,
    private readonly auth: AuthGuard,
    private readonly activity: ClaimActivity,
  ) {}

  @Get('rounds')
  @PublicAccess(ErrorCode.ValidationFailed)
  @Header('Cache-Control', ROUNDS_CACHE_CONTROL)
  @ApiOperation({
    summary: `Rounds open now, or opening within ${UPCOMING_HORIZON_DAYS} days, with each offer's voucher rules and the stock left`,
  })
  @ApiOkResponse({ type: [OpenRoundDto], description: 'Soonest first; may be cached for 2 s' })
  rounds(@Query() query: ListRoundsQuery): Promise<OpenRoundDto[]> {
    return this.claims.listRounds(query);
  }

  @Get('rounds/:roundId')
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.RoundNotFound)
  @Header('Cache-Control', ROUNDS_CACHE_CONTROL)
  @ApiOperation({
    summary: 'A round open now or opening soon, as the listing has it, with the server time and when to ask again',
  })
  @ApiParam({ name: 'roundId', format: 'uuid' })
  @ApiOkResponse({ type: OpenRoundDto, description: 'May be cached for 2 s' })
  round(@Param('roundId', new ParseUUIDPipe()) roundId: string): Promise<OpenRoundDto> {
    return this.claims.round(roundId);
  }

  /** The hot path (抢券), served without Nest's router: see ServedDirectly. */
  @Post('rounds/:roundId/claims')
  @ServedDirectly()
  @ResidentAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.IdentityRequired,
    ErrorCode.RoundNotFound,
    ErrorCode.RoundIsLottery,
    ErrorCode.OfferNotFound,
    ErrorCode.SoldOut,
    ErrorCode.LimitReached,
    ErrorCode.RoundNotOpen,
    ErrorCode.RoundClosed,
    ErrorCode.RequestInProgress,
    ErrorCode.IdempotencyKeyReused,
    ErrorCode.Unavailable,
  )
  @ApiParam({ name: 'roundId', format: 'uuid' })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'Retries with the same key get the first answer',
  })
  @ApiBody({ schema: CLAIM_REQUEST_SCHEMA as SchemaObject })
  @ApiOperation({ summary: "Claim (抢券) a pack of an open round's offer" })
  @ApiCreatedResponse({ type: ClaimResultDto })
  async claim(
    @Req() request: FastifyRequest<{ Params: { roundId: string } }>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const started = Date.now();
    try {
      const resident = this.auth.authenticate(
        ClaimsController.prototype.claim,
        ClaimsController,
        request.headers.authorization,
      ) as ResidentPrincipal;
      noteActing(request, resident);
      const { roundId } = request.params;
      await this.roundIds.transform(roundId, { type: 'param', data: 'roundId' });
      const { offerId } = this.body.transform(request.body);
      const key = optionalIdempotencyKey(request.headers['idempotency-key'] as string | undefined);
      const result: ClaimResultDto = await this.claims.claim(resident, roundId, offerId, key);
      reply.code(201).send(result);
      // A replay answers with a claim made before this request, counted when it was made.
      if (Date.parse(result.claimedAt) >= started) this.activity.record(roundId, CLAIMED);
    } catch (error) {
      replyWithProblem(error, request, reply);
      this.activity.record(request.params.roundId, problemCodeOf(request)!);
    }
  }

  @Get('me/vouchers')
  @ResidentAccess(ErrorCode.ValidationFailed)
  @ApiOperation({
    summary: "The resident's vouchers (newest first, at most 500) with their rules, validity and status",
  })
  @ApiOkResponse({ type: [VoucherDto] })
  vouchers(@CurrentPrincipal() resident: ResidentPrincipal, @Query() query: ListVouchersQuery): Promise<VoucherDto[]> {
    return this.wallet.myVouchers(resident.id, query);
  }

  @Post('me/vouchers/:id/prints')
  @HttpCode(200)
  @ResidentAccess(ErrorCode.ValidationFailed, ErrorCode.VoucherNotFound)
  @ApiOperation({
    summary:
      "A paper copy of one of the resident's vouchers: its rules, validity and short code, as a page to print. Made by a community agent acting for the resident, it is audited as the agent's",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VoucherDetailDto })
  print(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<VoucherDetailDto> {
    return this.wallet.myVoucher(resident.id, id);
  }

  @Get('me/vouchers/:id')
  @ResidentAccess(ErrorCode.ValidationFailed, ErrorCode.VoucherNotFound)
  @ApiOperation({
    summary:
      "One of the resident's vouchers with its rules, status and history (claimed, redeemed where and for how much, reversed, expired)",
  })
  @ApiParam({ name: 'id', format: 'uuid' })
  @ApiOkResponse({ type: VoucherDetailDto })
  voucher(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('id', new ParseUUIDPipe()) id: string,
  ): Promise<VoucherDetailDto> {
    return this.wallet.myVoucher(resident.id, id);
  }
}
