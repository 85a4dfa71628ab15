import { CanActivate, ExecutionContext, Injectable, Type } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { FastifyRequest } from 'fastify';
import { SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { markActed } from '@quan/platform';
import { ACCESS_KEY, AuthenticatedRequest, PUBLIC_KEY } from './decorators';
import { Audience, audienceOf, Principal } from './principal';
import { TokenService } from './token.service';

/**
 * An acting-for token's request (a community agent for a resident) is marked for the audit of acted requests;
 * endpoints served directly call this after `authenticate`. A resident's own request costs one property test.
 */
export function noteActing(request: FastifyRequest, principal: Principal): void {
  if (principal.kind === SubjectKind.Resident && principal.actorId)
    markActed(request, { agentId: principal.actorId, residentId: principal.id, identityId: principal.identityId });
}

/** Who may call an endpoint: anyone, the listed audiences, or (declared nothing) nobody. */
type EndpointAccess = { public: true } | { public: false; audiences: Audience[] | undefined };

/**
 * Global guard: deny by default. An endpoint is reachable only if it is @Public() or names its
 * audiences with @Access(…) and the bearer token's principal is one of them.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  /** An endpoint's declaration never changes, so it is read once per handler, not on every request. */
  private readonly access = new WeakMap<object, EndpointAccess>();

  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: TokenService,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const principal = this.authenticate(context.getHandler(), context.getClass(), request.headers.authorization);
    if (principal) {
      request.principal = principal;
      noteActing(request, principal);
    }
    return true;
  }

  /**
   * The caller of `handler` (a method of `controller`) proved by its Authorization header, or undefined
   * for a public endpoint; refuses as the guard does (401 without a valid token, 403 for another
   * audience). Endpoints served outside Nest's router (ServedDirectly) call it themselves.
   */
  authenticate(handler: object, controller: Type, authorization: string | undefined): Principal | undefined {
    const access = this.accessOf(handler, controller);
    if (access.public) return undefined;
    if (!access.audiences) {
      throw new DomainError(ErrorCode.Forbidden, 'This endpoint declares no audience');
    }
    if (!authorization?.startsWith('Bearer ')) {
      throw new DomainError(ErrorCode.Unauthenticated, 'A bearer access token is required');
    }
    const principal = this.tokens.verifyAccessToken(authorization.slice('Bearer '.length));
    if (!access.audiences.includes(audienceOf(principal))) {
      throw new DomainError(ErrorCode.Forbidden, 'Your role may not use this endpoint');
    }
    return principal;
  }

  private accessOf(handler: object, controller: Type): EndpointAccess {
    let access = this.access.get(handler);
    if (!access) {
      const targets = [handler as Type, controller];
      access = this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)
        ? { public: true }
        : { public: false, audiences: this.reflector.getAllAndOverride<Audience[] | undefined>(ACCESS_KEY, targets) };
      this.access.set(handler, access);
    }
    return access;
  }
}
