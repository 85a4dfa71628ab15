import { Controller, Get, ParseUUIDPipe, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags, SchemaObject } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, CurrentPrincipal, PublicAccess, ResidentAccess, ResidentPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { optionalIdempotencyKey, replyWithProblem, SchemaPipe, ServedDirectly } from '@quan/platform';
import { CLAIM_REQUEST_SCHEMA, ClaimResultDto, ListRoundsQuery, OpenRoundDto, VoucherDto } from './claims.dto';
import { ClaimsService } from './claims.service';

@ApiTags('claims')
@Controller()
export class ClaimsController {
  private readonly roundIds = new ParseUUIDPipe();
  private readonly body = new SchemaPipe(CLAIM_REQUEST_SCHEMA);

  constructor(
    private readonly claims: ClaimsService,
    private readonly auth: AuthGuard,
  ) {}

  @Get('rounds')
  @ApiOperation({ summary: 'List the rounds open now and the upcoming ones, with the stock left' })
  @PublicAccess(ErrorCode.ValidationFailed)
  @ApiOkResponse({ type: [OpenRoundDto], description: 'Open and upcoming rounds with their offers and the stock left' })
  rounds(@Query() _query: ListRoundsQuery): Promise<OpenRoundDto[]> {
    return this.claims.listRounds();
  }

  /** The hot path (抢券), served without Nest's router: see ServedDirectly. */
  @Post('rounds/:roundId/claims')
  @ApiOperation({ summary: 'Claim an offer of an open round (抢券)' })
  @ServedDirectly()
  @ResidentAccess(
    ErrorCode.ValidationFailed, ErrorCode.IdentityRequired, ErrorCode.RoundNotFound, ErrorCode.OfferNotFound, ErrorCode.SoldOut,
    ErrorCode.LimitReached, ErrorCode.RoundNotOpen, ErrorCode.RoundClosed, ErrorCode.RequestInProgress, ErrorCode.IdempotencyKeyReused,
    ErrorCode.Unavailable,
  )
  @ApiParam({ name: 'roundId', format: 'uuid' })
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first answer' })
  @ApiBody({ schema: CLAIM_REQUEST_SCHEMA as SchemaObject })
  @ApiCreatedResponse({ type: ClaimResultDto })
  async claim(@Req() request: FastifyRequest<{ Params: { roundId: string } }>, @Res() reply: FastifyReply): Promise<void> {
    try {
      const resident = this.auth.authenticate(ClaimsController.prototype.claim, ClaimsController, request.headers.authorization) as ResidentPrincipal;
      const { roundId } = request.params;
      await this.roundIds.transform(roundId, { type: 'param', data: 'roundId' });
      const { offerId } = this.body.transform(request.body);
      const key = optionalIdempotencyKey(request.headers['idempotency-key'] as string | undefined);
      const result: ClaimResultDto = await this.claims.claim(resident, roundId, offerId, key);
      reply.code(201).send(result);
    } catch (error) {
      replyWithProblem(error, request, reply);
    }
  }

  @Get('me/vouchers')
  @ApiOperation({ summary: "The resident's vouchers" })
  @ResidentAccess()
  @ApiOkResponse({ type: [VoucherDto] })
  vouchers(@CurrentPrincipal() resident: ResidentPrincipal): Promise<VoucherDto[]> {
    return this.claims.myVouchers(resident.id);
  }
}
