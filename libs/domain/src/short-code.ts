/**
 * Human-readable voucher codes for manual entry when a camera fails: 10 Crockford base-32 symbols
 * (no I, L, O, U) plus a check symbol (ISO 7064 MOD 37-36 style, over 37 symbols), shown as
 * XXXX-XXXX-XXX. A single mistyped symbol or a swap of two neighbours is caught by the check symbol.
 */
export const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const CHECK_ALPHABET = `${SHORT_CODE_ALPHABET}*~$=U`;
export const SHORT_CODE_BODY_LENGTH = 10;

export function shortCodeCheckSymbol(body: string): string | undefined {
  let sum = 0;
  for (let i = 0; i < body.length; i += 1) {
    const value = SHORT_CODE_ALPHABET.indexOf(body[i]);
    if (value < 0) return undefined;
    sum = (sum * 32 + value) % 37;
  }
  return CHECK_ALPHABET[sum];
}

/** XXXX-XXXX-XXX */
export function formatShortCode(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/**
 * Normalises what a cashier typed (case, spaces, dashes, and the look-alikes O→0, I/L→1) and checks the
 * check symbol. Returns the canonical code, or undefined when it cannot be a valid code.
 */
export function parseShortCode(input: string): string | undefined {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (raw.length !== SHORT_CODE_BODY_LENGTH + 1) return undefined;
  const body = raw.slice(0, SHORT_CODE_BODY_LENGTH);
  return shortCodeCheckSymbol(body) === raw[SHORT_CODE_BODY_LENGTH] ? formatShortCode(raw) : undefined;
}
