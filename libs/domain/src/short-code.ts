import { randomFillSync } from 'node:crypto';

/**
 * Human-readable voucher codes for manual entry when a camera fails: 10 Crockford base-32 symbols
 * (no I, L, O, U) plus a check symbol (ISO 7064 MOD 37-36 style, over 37 symbols), shown as
 * XXXX-XXXX-XXX. A single mistyped symbol or a swap of two neighbours is caught by the check symbol.
 */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${ALPHABET}*~$=U`;
const BODY_LENGTH = 10;

/**
 * Random bytes for 256 codes, drawn in one call and used once each, front to back: a `randomBytes` call
 * per code (a call into OpenSSL and a new Buffer) was about 6% of the api's CPU per claim. `randomUUID()`
 * keeps the same kind of cache for its ids.
 */
const pool = Buffer.alloc(BODY_LENGTH * 256);
let poolOffset = pool.length;

function randomBody(): Buffer {
  if (poolOffset === pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  poolOffset += BODY_LENGTH;
  return pool.subarray(poolOffset - BODY_LENGTH, poolOffset);
}

function checkSymbol(body: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const value = ALPHABET.indexOf(body[i]);
    if (value < 0) return undefined;
    sum = (sum * 32 + value) % 37;
  }
  return CHECK_ALPHABET[sum];
}

/**
 * A fresh random code, e.g. "7KQ2-M9XD-4TZ" (randomness from the OS, not Math.random). Each symbol is the
 * low five bits of a random byte: 256 is a multiple of 32, so every symbol is equally likely.
 */
export function generateShortCode(): string {
  let body = '';
  for (const byte of randomBody()) body += ALPHABET[byte & 31];
  return format(body + checkSymbol(body));
}

function format(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/**
 * Normalises what a cashier typed (case, spaces, dashes, and the look-alikes O→0, I/L→1) and checks the
 * check symbol. Returns the canonical code, or undefined when it cannot be a valid code.
 */
export function parseShortCode(input: string): string | undefined {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== BODY_LENGTH + 1) return undefined;
  const body = raw.slice(0, BODY_LENGTH);
  return checkSymbol(body) === raw[BODY_LENGTH] ? format(raw) : undefined;
}
