import { Body, Controller, Get, Headers, HttpCode, Param, ParseUUIDPipe, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiForbiddenResponse, ApiHeader, ApiNotFoundResponse, ApiOkResponse,
  ApiServiceUnavailableResponse, ApiTags, ApiUnprocessableEntityResponse,
} from '@nestjs/swagger';
import { Access, CurrentPrincipal, Public, ResidentPrincipal } from '@quan/auth';
import { SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { ClaimRequestDto, ClaimResultDto, ListRoundsQuery, RoundDto, VoucherDto } from './claims.dto';
import { ClaimsService } from './claims.service';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

function idempotencyKeyOf(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new DomainError(ErrorCode.ValidationFailed, 'Idempotency-Key must be 8–100 characters of A-Z a-z 0-9 _ . : -');
  }
  return header;
}

@ApiTags('claims')
@Controller()
export class ClaimsController {
  constructor(private readonly claims: ClaimsService) {}

  @Public()
  @Get('rounds')
  @ApiOkResponse({ type: [RoundDto], description: 'Open and upcoming rounds with their offers and the stock left' })
  rounds(@Query() _query: ListRoundsQuery): Promise<RoundDto[]> {
    return this.claims.listRounds();
  }

  @Access(SubjectKind.Resident)
  @ApiBearerAuth()
  @Post('rounds/:roundId/claims')
  @HttpCode(201)
  @ApiHeader({ name: 'Idempotency-Key', required: false, description: 'Retries with the same key get the first answer' })
  @ApiCreatedResponse({ type: ClaimResultDto })
  @ApiConflictResponse({ description: 'SOLD_OUT, LIMIT_REACHED, ROUND_NOT_OPEN, ROUND_CLOSED, REQUEST_IN_PROGRESS' })
  @ApiForbiddenResponse({ description: 'IDENTITY_REQUIRED' })
  @ApiNotFoundResponse({ description: 'ROUND_NOT_FOUND, OFFER_NOT_FOUND' })
  @ApiUnprocessableEntityResponse({ description: 'IDEMPOTENCY_KEY_REUSED' })
  @ApiServiceUnavailableResponse({ description: 'UNAVAILABLE: Redis or Postgres down; nothing was claimed' })
  claim(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('roundId', new ParseUUIDPipe()) roundId: string,
    @Body() body: ClaimRequestDto,
    @Headers('idempotency-key') key: string | undefined,
  ): Promise<ClaimResultDto> {
    return this.claims.claim(resident, roundId, body.offerId, idempotencyKeyOf(key));
  }

  @Access(SubjectKind.Resident)
  @ApiBearerAuth()
  @Get('me/vouchers')
  @ApiOkResponse({ type: [VoucherDto] })
  vouchers(@CurrentPrincipal() resident: ResidentPrincipal): Promise<VoucherDto[]> {
    return this.claims.myVouchers(resident.id);
  }
}
