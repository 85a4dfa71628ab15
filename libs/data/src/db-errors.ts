import { QueryFailedError } from 'typeorm';

/** True when Postgres refused a write because of a unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}

/**
 * A statement that failed before it was sent: no connection could be had to send it on. Nothing was done,
 * so whatever was decided for it can be given back. It keeps the cause's code and message.
 */
export class StatementNotSent extends Error {
  readonly code: unknown;

  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.code = (cause as { code?: unknown } | undefined)?.code;
  }
}

/**
 * A statement failed without Postgres's answer: the connection dropped, the server was shut down under it,
 * or the client stopped waiting. It may have committed, or may still. Any other failure either came from
 * Postgres (the statement rolled back) or happened before the statement was sent.
 */
const ANSWER_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02']);
const ANSWER_LOST_MESSAGES =
  /^(Connection terminated(?! due to connection timeout)|Query read timeout|Received unexpected)/;

export function commitOutcomeUnknown(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof StatementNotSent) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && ANSWER_LOST_CODES.has(code)) || ANSWER_LOST_MESSAGES.test(error.message);
}
