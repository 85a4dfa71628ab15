import { DomainError, ErrorCode } from '@quan/domain';

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_.:-]{8,100}$/;

/** The Idempotency-Key header, checked: 8–100 characters of A-Z a-z 0-9 _ . : - (absent: undefined). */
export function optionalIdempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!IDEMPOTENCY_KEY.test(header)) {
    throw new DomainError(
      ErrorCode.ValidationFailed,
      'Idempotency-Key must be 8–100 characters of A-Z a-z 0-9 _ . : -',
      { field: 'Idempotency-Key' },
    );
  }
  return header;
}

/** The Idempotency-Key header of an endpoint that requires one. */
export function requiredIdempotencyKey(header: string | undefined): string {
  const key = optionalIdempotencyKey(header);
  if (key === undefined)
    throw new DomainError(ErrorCode.ValidationFailed, 'This request needs an Idempotency-Key header', {
      field: 'Idempotency-Key',
    });
  return key;
}
