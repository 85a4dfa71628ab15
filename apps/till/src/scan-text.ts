import { parseShortCode, SHORT_CODE_BODY_LENGTH } from '@quan/domain';

/** What a scan (camera, barcode gun) or a typed code names: a QR token or a short code, in canonical form. */
export type Scanned = { kind: 'token'; token: string } | { kind: 'code'; code: string };

/** A QR token is a signed JWT: three base64url parts. Anything else must be a short code. */
const JWT = /^[\w-]+\.[\w-]+\.[\w-]+$/;

/** Reads scanned or typed text; undefined when it is neither a voucher token nor a valid short code. */
export function readScanned(text: string): Scanned | undefined {
  const trimmed = text.trim();
  if (JWT.test(trimmed)) return { kind: 'token', token: trimmed };
  const code = parseShortCode(trimmed);
  return code ? { kind: 'code', code } : undefined;
}

/** The check shown while a code is typed: nothing yet, complete and valid, or wrong (before anything is sent). */
export type CodeCheck = 'incomplete' | 'valid' | 'invalid';

/**
 * Symbols of a short code when complete (body + check): a typed code is judged wrong once it has that
 * many. A shorter code issued before is valid as soon as it is complete, and refused on Enter otherwise.
 */
const CODE_SYMBOLS = SHORT_CODE_BODY_LENGTH + 1;

export function checkTyped(text: string): CodeCheck {
  const trimmed = text.trim();
  if (readScanned(trimmed)) return 'valid';
  // A gun types a token fast; only short, code-like text is judged as it is typed.
  if (trimmed.includes('.')) return 'incomplete';
  return trimmed.replace(/[\s-]/g, '').length < CODE_SYMBOLS ? 'incomplete' : 'invalid';
}
