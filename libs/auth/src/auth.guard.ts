import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@quan/domain';
import { ACCESS_KEY, AuthenticatedRequest, PUBLIC_KEY } from './decorators';
import { Audience, audienceOf } from './principal';
import { TokenService } from './token.service';

/**
 * Global guard: deny by default. An endpoint is reachable only if it is @Public() or names its
 * audiences with @Access(…) and the bearer token's principal is one of them.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const audiences = this.reflector.getAllAndOverride<Audience[] | undefined>(ACCESS_KEY, targets);
    if (!audiences) {
      throw new DomainError(ErrorCode.Forbidden, 'This endpoint declares no audience');
    }
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const header = request.headers.authorization;
    if (!header?.startsWith('Bearer ')) {
      throw new DomainError(ErrorCode.Unauthenticated, 'A bearer access token is required');
    }
    const principal = this.tokens.verifyAccessToken(header.slice('Bearer '.length));
    if (!audiences.includes(audienceOf(principal))) {
      throw new DomainError(ErrorCode.Forbidden, 'Your role may not use this endpoint');
    }
    request.principal = principal;
    return true;
  }
}
