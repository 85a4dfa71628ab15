import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError, ErrorCode } from '@quan/domain';

/**
 * A pipe for uuid path parameters: a malformed id names nothing, so it is the same 404 (with the
 * resource's own code) as an id that does not exist, and never reaches Postgres.
 */
export function uuidOr(notFound: ErrorCode): ParseUUIDPipe {
  return new ParseUUIDPipe({ version: undefined, exceptionFactory: () => new DomainError(notFound, 'No such id') });
}
