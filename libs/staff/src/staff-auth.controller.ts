import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { ALL_STAFF, CurrentStaff, PublicAccess, REFRESH_ROTATION, StaffAccess, StaffPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { StaffAccountDto } from '@quan/staff-accounts';
import { RefreshTokenDto, StaffLoginDto, StaffSessionDto } from './staff.dto';
import { StaffAuthService } from './staff-auth.service';

@ApiTags('staff auth')
@Controller('auth/staff')
export class StaffAuthController {
  constructor(private readonly auth: StaffAuthService) {}

  @Post('login')
  @HttpCode(200)
  @PublicAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.InvalidCredentials,
    ErrorCode.LoginThrottled,
    ErrorCode.AccountDisabled,
  )
  @ApiOperation({
    summary: 'Log in with username and password',
    description: `An unknown username and a wrong password both answer 401 INVALID_CREDENTIALS. After LOGIN_FREE_FAILURES (5) failures of a username from one client address, further tries from that address wait (429 LOGIN_THROTTLED with Retry-After, doubling up to LOGIN_DELAY_MAX_S); other addresses are not slowed, and no account is ever locked.`,
  })
  @ApiOkResponse({ type: StaffSessionDto })
  login(@Body() body: StaffLoginDto, @Req() request: FastifyRequest): Promise<StaffSessionDto> {
    return this.auth.login(body.username, body.password, request.ip);
  }

  @Post('refresh')
  @HttpCode(200)
  @PublicAccess(ErrorCode.ValidationFailed, ErrorCode.Unauthenticated)
  @ApiOperation({ summary: 'Exchange a refresh token (once) for a new pair', description: REFRESH_ROTATION })
  @ApiOkResponse({ type: StaffSessionDto })
  refresh(@Body() body: RefreshTokenDto): Promise<StaffSessionDto> {
    return this.auth.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @PublicAccess(ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'Revoke a refresh token; the access token lapses within its lifetime' })
  @ApiNoContentResponse()
  logout(@Body() body: RefreshTokenDto): Promise<void> {
    return this.auth.logout(body.refreshToken);
  }

  @Get('me')
  @StaffAccess(ALL_STAFF, ErrorCode.StaffAccountNotFound)
  @ApiOperation({ summary: 'The logged-in staff account' })
  @ApiOkResponse({ type: StaffAccountDto })
  me(@CurrentStaff() principal: StaffPrincipal): Promise<StaffAccountDto> {
    return this.auth.me(principal);
  }
}
