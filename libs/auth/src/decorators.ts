import { createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { FastifyRequest } from 'fastify';
import { Audience, Principal } from './principal';

export const PUBLIC_KEY = 'quan:public';
export const ACCESS_KEY = 'quan:access';

/** The endpoint needs no token (health, reference data, logins). */
export const Public = (): CustomDecorator => SetMetadata(PUBLIC_KEY, true);

/** The endpoint needs a token of one of these audiences; every non-public endpoint must say which. */
export const Access = (...audiences: Audience[]): CustomDecorator => SetMetadata(ACCESS_KEY, audiences);

export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

/** The caller proved by the guard. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, context: ExecutionContext): Principal =>
  context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);
