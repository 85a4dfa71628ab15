import { applyDecorators, createParamDecorator, CustomDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension } from '@nestjs/swagger';
import { FastifyRequest } from 'fastify';
import { StaffRole, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { ApiProblems, Public, PUBLIC_KEY } from '@quan/platform';
import { Audience, Principal, StaffPrincipal } from './principal';

export { Public, PUBLIC_KEY };
export const ACCESS_KEY = 'quan:access';

/** The endpoint needs a token of one of these audiences; every non-public endpoint must say which. */
export const Access = (...audiences: Audience[]): CustomDecorator => SetMetadata(ACCESS_KEY, audiences);

export interface AuthenticatedRequest extends FastifyRequest {
  principal: Principal;
}

/** The caller proved by the guard. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal =>
    context.switchToHttp().getRequest<AuthenticatedRequest>().principal,
);

/** The caller proved by the guard, who must be staff (the endpoint's @Access lists only staff roles). */
export const CurrentStaff = createParamDecorator((_data: unknown, context: ExecutionContext): StaffPrincipal => {
  const { principal } = context.switchToHttp().getRequest<AuthenticatedRequest>();
  if (principal?.kind !== SubjectKind.Staff) throw new DomainError(ErrorCode.Forbidden, 'Staff only');
  return principal;
});

/**
 * A staff endpoint: @Access for these roles, documented in OpenAPI with the bearer scheme, the roles
 * (x-quan-roles) and the error codes it can answer with besides UNAUTHENTICATED and FORBIDDEN.
 */
export function StaffAccess(roles: readonly StaffRole[], ...errors: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Access(...roles),
    ApiBearerAuth(),
    ApiExtension('x-quan-roles', [...roles]),
    ApiProblems(ErrorCode.Unauthenticated, ErrorCode.Forbidden, ...errors),
  );
}

/** A resident endpoint: @Access for residents, documented like StaffAccess (x-quan-roles: resident). */
export function ResidentAccess(...errors: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(
    Access(SubjectKind.Resident),
    ApiBearerAuth(),
    ApiExtension('x-quan-roles', [SubjectKind.Resident]),
    ApiProblems(ErrorCode.Unauthenticated, ErrorCode.Forbidden, ...errors),
  );
}

/** A public endpoint (no token), documented with the error codes it can answer with. */
export function PublicAccess(...errors: ErrorCode[]): MethodDecorator & ClassDecorator {
  return applyDecorators(Public(), ApiProblems(...errors));
}
