import { QueryFailedError } from 'typeorm';

/** True when Postgres refused a write because of a unique constraint (SQLSTATE 23505). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string } | undefined)?.code === '23505';
}

/**
 * A statement failed without Postgres's answer: the connection dropped, the server was shut down under it,
 * or the client stopped waiting. It may have committed, or may still. Any other failure either came from
 * Postgres (the statement rolled back) or happened before the statement was sent.
 */
const ANSWER_LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', '57P01', '57P02', '08003', '08006', '08007']);
const ANSWER_LOST_MESSAGES = /^(Connection terminated(?! due to connection timeout)|Query read timeout|Received unexpected)/;

export function commitOutcomeUnknown(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === 'string' && ANSWER_LOST_CODES.has(code)) || ANSWER_LOST_MESSAGES.test(error.message);
}
