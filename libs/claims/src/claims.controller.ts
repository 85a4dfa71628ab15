import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiTags, SchemaObject } from '@nestjs/swagger';
import { CurrentPrincipal, PublicAccess, ResidentAccess, ResidentPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { optionalIdempotencyKey, SchemaPipe } from '@quan/platform';
import { CLAIM_REQUEST_SCHEMA, ClaimRequest, ClaimResultDto, ListRoundsQuery, OpenRoundDto, VoucherDto } from './claims.dto';
import { ClaimsService } from './claims.service';

@ApiTags('claims')
@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Get('rounds')
  @PublicAccess(ErrorCode.ValidationFailed)
  @ApiOkResponse({ type: [OpenRoundDto], description: 'Open and upcoming rounds with their offers and the stock left' })
  rounds(@Query() _query: ListRoundsQuery): Promise<OpenRoundDto[]> {
    return this.claims.listRounds();
  }

  @Post('rounds/:roundId/claims')
  @HttpCode(201)
  @ResidentAccess(
    ErrorCode.ValidationFailed, ErrorCode.IdentityRequired, ErrorCode.RoundNotFound, ErrorCode.OfferNotFound, ErrorCode.SoldOut,
    ErrorCode.LimitReached, ErrorCode.RoundNotOpen, ErrorCode.RoundClosed, ErrorCode.RequestInProgress, ErrorCode.IdempotencyKeyReused,
    ErrorCode.Unavailable,
  )
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first answer' })
  @ApiBody({ schema: CLAIM_REQUEST_SCHEMA as SchemaObject })
  @ApiCreatedResponse({ type: ClaimResultDto })
  claim(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('roundId', new ParseUUIDPipe()) roundId: string,
    @Body(new SchemaPipe(CLAIM_REQUEST_SCHEMA)) body: ClaimRequest,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<ClaimResultDto> {
    return this.claims.claim(resident, roundId, body.offerId, optionalIdempotencyKey(key));
  }

  @Get('me/vouchers')
  @ResidentAccess()
  @ApiOkResponse({ type: [VoucherDto] })
  vouchers(@CurrentPrincipal() resident: ResidentPrincipal): Promise<VoucherDto[]> {
    return this.claims.myVouchers(resident.id);
  }
}
