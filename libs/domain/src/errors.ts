/**
 * Every error a client can see has a stable machine-readable code. Domain code throws DomainError
 * with one of these; the HTTP layer maps each code to a status in one exhaustive table.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  NotFound = 'NOT_FOUND',
  Unauthenticated = 'UNAUTHENTICATED',
  Forbidden = 'FORBIDDEN',
  Conflict = 'CONFLICT',
  PayloadTooLarge = 'PAYLOAD_TOO_LARGE',
  UnsupportedMediaType = 'UNSUPPORTED_MEDIA_TYPE',
  RateLimited = 'RATE_LIMITED',
  Unavailable = 'UNAVAILABLE',
  Internal = 'INTERNAL',
  CountyNotFound = 'COUNTY_NOT_FOUND',
  CategoryNotFound = 'CATEGORY_NOT_FOUND',
}

export interface ErrorDetails {
  /** Extra machine-readable fields, e.g. the failing fields of a validation error. */
  readonly [key: string]: unknown;
}

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Compile-time exhaustiveness check for switches over unions and enums. */
export function assertUnreachable(value: never): never {
  throw new Error(`unreachable value: ${String(value)}`);
}
