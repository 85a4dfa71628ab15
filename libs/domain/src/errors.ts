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
  InvalidCode = 'INVALID_CODE',
  InvalidIdNumber = 'INVALID_ID_NUMBER',
  IdentityRequired = 'IDENTITY_REQUIRED',
  IdentityAlreadyVerified = 'IDENTITY_ALREADY_VERIFIED',
  RoundNotFound = 'ROUND_NOT_FOUND',
  OfferNotFound = 'OFFER_NOT_FOUND',
  SoldOut = 'SOLD_OUT',
  LimitReached = 'LIMIT_REACHED',
  RoundNotOpen = 'ROUND_NOT_OPEN',
  RoundClosed = 'ROUND_CLOSED',
  IdempotencyKeyReused = 'IDEMPOTENCY_KEY_REUSED',
  RequestInProgress = 'REQUEST_IN_PROGRESS',
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
