import { randomFillSync } from 'node:crypto';
import { formatShortCode, SHORT_CODE_ALPHABET, SHORT_CODE_BODY_LENGTH, shortCodeCheckSymbol } from './short-code';

// Kept apart from short-code.ts, which browsers import too: only the server generates codes.

/**
 * Random bytes for 256 codes, drawn in one call and used once each, front to back: a `randomBytes` call
 * per code (a call into OpenSSL and a new Buffer) was a visible share of the api's CPU per claim
 * (docs/benchmarks.md). `randomUUID()` keeps the same kind of cache for its ids.
 */
const pool = Buffer.alloc(SHORT_CODE_BODY_LENGTH * 256);
let poolOffset = pool.length;

function randomBody(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += SHORT_CODE_BODY_LENGTH;
  return pool.subarray(poolOffset - SHORT_CODE_BODY_LENGTH, poolOffset);
}

/**
 * A fresh random code, e.g. "7KQ2-M9XD-4TZ8" (randomness from the OS, not Math.random). Each symbol is
 * the low five bits of a random byte: 256 is a multiple of 32, so every symbol is equally likely.
 */
export function generateShortCode(): string {
  let body = '';
  for (const byte of randomBody()) body += SHORT_CODE_ALPHABET[byte & 31];
  return formatShortCode(body + shortCodeCheckSymbol(body));
}
