import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiConflictResponse, ApiOkResponse, ApiTags, ApiTooManyRequestsResponse, ApiUnauthorizedResponse } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { Access, CurrentPrincipal, Public, ResidentPrincipal } from '@quan/auth';
import { SubjectKind } from '@quan/data';
import { CodeSentDto, LoginDto, MeDto, RefreshDto, RequestCodeDto, TokenPairDto, VerifyIdentityDto } from './residents.dto';
import { ResidentsService } from './residents.service';

@ApiTags('residents')
@Controller()
export class ResidentsController {
  constructor(private readonly residents: ResidentsService) {}

  @Public()
  @Post('auth/otp')
  @HttpCode(202)
  @ApiAcceptedResponse({ type: CodeSentDto, description: 'A login code was sent' })
  @ApiTooManyRequestsResponse({ description: 'RATE_LIMITED (per phone and per client address)' })
  requestCode(@Body() body: RequestCodeDto, @Req() request: FastifyRequest): Promise<CodeSentDto> {
    return this.residents.requestCode(body.phone, request.ip);
  }

  @Public()
  @Post('auth/login')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'INVALID_CODE' })
  login(@Body() body: LoginDto): Promise<TokenPairDto> {
    return this.residents.login(body.phone, body.code);
  }

  @Public()
  @Post('auth/refresh')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: 'UNAUTHENTICATED: invalid, expired or used refresh token' })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.residents.refresh(body.refreshToken);
  }

  @Public()
  @Post('auth/logout')
  @HttpCode(204)
  logout(@Body() body: RefreshDto): Promise<void> {
    return this.residents.logout(body.refreshToken);
  }

  @Access(SubjectKind.Resident)
  @ApiBearerAuth()
  @Get('me')
  @ApiOkResponse({ type: MeDto })
  me(@CurrentPrincipal() principal: ResidentPrincipal): Promise<MeDto> {
    return this.residents.me(principal.id);
  }

  @Access(SubjectKind.Resident)
  @ApiBearerAuth()
  @Post('me/identity')
  @HttpCode(200)
  @ApiOkResponse({ type: TokenPairDto, description: 'Verified; new tokens carry the identity' })
  @ApiConflictResponse({ description: 'IDENTITY_ALREADY_VERIFIED' })
  verifyIdentity(@CurrentPrincipal() principal: ResidentPrincipal, @Body() body: VerifyIdentityDto): Promise<TokenPairDto> {
    return this.residents.verifyIdentity(principal.id, body.name, body.idNumber);
  }
}
