import { Controller, Get, Param, ParseUUIDPipe, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { FastifyReply, FastifyRequest } from 'fastify';
import { AuthGuard, CurrentPrincipal, noteActing, PublicAccess, ResidentAccess, ResidentPrincipal } from '@quan/auth';
import { DomainError, ErrorCode } from '@quan/domain';
import { optionalIdempotencyKey, replyWithProblem, ServedDirectly } from '@quan/platform';
import { LotteryRounds } from './lottery-rounds';
import { PublishedDrawDto, RegistrationReceiptDto } from './lottery.dto';
import { LotteryService } from './lottery.service';
import { PublishedDraws } from './published-draws';

@ApiTags('lottery')
@Controller()
export class LotteryController {
  private readonly roundIds = new ParseUUIDPipe();

  constructor(
    private readonly lottery: LotteryService,
    private readonly rounds: LotteryRounds,
    private readonly published: PublishedDraws,
    private readonly auth: AuthGuard,
  ) {}

  /** A surge at the opening like claims: served without Nest's router (ServedDirectly). */
  @Post('rounds/:roundId/registrations')
  @ServedDirectly()
  @ResidentAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.IdentityRequired,
    ErrorCode.RoundNotFound,
    ErrorCode.RoundNotLottery,
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
  @ApiOperation({
    summary:
      'Register (报名) for a lottery round while it is open (opensAt to closesAt); once per identity: a repeat gets the same receipt',
  })
  @ApiCreatedResponse({
    type: RegistrationReceiptDto,
    headers: {
      Location: {
        description: "The URL of the resident's registration (GET /me/registrations/{roundId})",
        schema: { type: 'string', example: '/api/v1/me/registrations/0b7e6d4c-2a19-4f8b-8c3d-5e6f7a8b9c0d' },
      },
    },
  })
  async register(
    @Req() request: FastifyRequest<{ Params: { roundId: string } }>,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    try {
      const resident = this.auth.authenticate(
        LotteryController.prototype.register,
        LotteryController,
        request.headers.authorization,
      ) as ResidentPrincipal;
      // A community agent's registration for a resident is audited as the agent's (docs/assisted-claims.md).
      noteActing(request, resident);
      const { roundId } = request.params;
      await this.roundIds.transform(roundId, { type: 'param', data: 'roundId' });
      const key = optionalIdempotencyKey(request.headers['idempotency-key'] as string | undefined);
      const receipt = await this.lottery.register(resident, roundId, key);
      // The resident's registration is read back (with its outcome) at the Location.
      reply.code(201).header('location', `/api/v1/me/registrations/${roundId}`).send(receipt);
    } catch (error) {
      replyWithProblem(error, request, reply);
    }
  }

  @Get('me/registrations/:roundId')
  @ResidentAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.RoundNotFound,
    ErrorCode.RoundNotLottery,
    ErrorCode.RegistrationNotFound,
  )
  @ApiParam({ name: 'roundId', format: 'uuid' })
  @ApiOperation({
    summary:
      "The resident's registration for a lottery round: the receipt, and after the draw whether it won, with the proof of inclusion",
  })
  @ApiOkResponse({ type: RegistrationReceiptDto })
  mine(
    @CurrentPrincipal() resident: ResidentPrincipal,
    @Param('roundId', new ParseUUIDPipe()) roundId: string,
  ): Promise<RegistrationReceiptDto> {
    return this.lottery.mine(resident, roundId);
  }

  @Get('rounds/:roundId/lottery')
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.RoundNotFound, ErrorCode.RoundNotLottery)
  @ApiParam({ name: 'roundId', format: 'uuid' })
  @ApiOperation({
    summary:
      "A lottery round's draw as published for anyone to check with `npm run lottery:verify`: the commitment; after the draw the seed, the list, its Merkle root and the winners",
  })
  @ApiOkResponse({ type: PublishedDrawDto })
  async draw(@Param('roundId', new ParseUUIDPipe()) roundId: string): Promise<PublishedDrawDto> {
    const round = await this.rounds.get(roundId);
    if (!round || !round.visible) throw new DomainError(ErrorCode.RoundNotFound, `No published round ${roundId}`);
    if (!round.drawAt) throw new DomainError(ErrorCode.RoundNotLottery, `Round ${roundId} is not a lottery`);
    return this.published.draw(round);
  }
}
