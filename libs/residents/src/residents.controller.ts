import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiHeader,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { CurrentPrincipal, PublicAccess, REFRESH_ROTATION, ResidentAccess, ResidentPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import {
  CodeSentDto,
  IdentityVerifiedDto,
  LoginDto,
  MeDto,
  RefreshDto,
  RequestCodeDto,
  TokenPairDto,
  VerifyIdentityDto,
} from './residents.dto';
import { ResidentsService } from './residents.service';

@ApiTags('residents')
@Controller()
export class ResidentsController {
  constructor(private readonly residents: ResidentsService) {}

  @Post('auth/otp')
  @ApiOperation({ summary: 'Send a one-time login code to a phone' })
  @HttpCode(202)
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.RateLimited, ErrorCode.Unavailable)
  @ApiAcceptedResponse({ type: CodeSentDto, description: 'A login code was sent' })
  requestCode(@Body() body: RequestCodeDto, @Req() request: FastifyRequest): Promise<CodeSentDto> {
    return this.residents.requestCode(body.phone, request.ip);
  }

  @Post('auth/login')
  @ApiOperation({ summary: 'Log a resident in with the phone and its one-time code' })
  @HttpCode(200)
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.InvalidCode)
  @ApiOkResponse({ type: TokenPairDto })
  login(@Body() body: LoginDto): Promise<TokenPairDto> {
    return this.residents.login(body.phone, body.code);
  }

  @Post('auth/refresh')
  @ApiOperation({ summary: 'Exchange a refresh token for a new token pair', description: REFRESH_ROTATION })
  @HttpCode(200)
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.Unauthenticated)
  @ApiOkResponse({ type: TokenPairDto })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.residents.refresh(body.refreshToken);
  }

  @Post('auth/logout')
  @ApiOperation({ summary: 'End a resident session (its refresh token stops working)' })
  @HttpCode(204)
  @PublicAccess(ErrorCode.ValidationFailed)
  @ApiNoContentResponse({ description: 'The refresh token can no longer be used' })
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.residents.logout(body.refreshToken);
  }

  @Get('me')
  @ApiOperation({ summary: 'The resident logged in' })
  @ResidentAccess()
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: ResidentPrincipal): Promise<MeDto> {
    return this.residents.me(principal.id);
  }

  @Post('me/identity')
  @ApiOperation({ summary: "Verify the resident's identity (real name and ID number) once" })
  @HttpCode(200)
  @ResidentAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.InvalidIdNumber,
    ErrorCode.IdentityAlreadyVerified,
    ErrorCode.IdentityPhonesExceeded,
    ErrorCode.IdentityNotConfirmed,
    ErrorCode.RateLimited,
    ErrorCode.Unavailable,
  )
  @ApiOkResponse({
    type: IdentityVerifiedDto,
    description: 'Verified; the new tokens carry the identity, and the answer tells whether other phones share it',
  })
  @ApiHeader({
    name: 'X-Device-Id',
    required: false,
    description: "The app's device token; kept only as a keyed hash, for the bureau's identity-farm checks",
  })
  verifyIdentity(
    @CurrentPrincipal() principal: ResidentPrincipal,
    @Body() body: VerifyIdentityDto,
    @Req() request: FastifyRequest,
  ): Promise<IdentityVerifiedDto> {
    const device = request.headers['x-device-id'];
    return this.residents.verifyIdentity(principal.id, body.name, body.idNumber, {
      ip: request.ip,
      device: typeof device === 'string' && device.length > 0 ? device.slice(0, 200) : null,
    });
  }
}
