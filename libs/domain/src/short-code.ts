/**
 * Human-readable voucher codes for manual entry when a camera fails: 11 random Crockford base-32 symbols
 * (digits and capitals without I, L, O, U) and a check symbol from the same alphabet, shown as
 * XXXX-XXXX-XXXX. Nothing to print, read aloud or type but letters and digits, and no look-alikes.
 *
 * The check symbol is Damm's scheme over the field of 32 elements: every symbol moves the interim value
 * x to 2·(x ⊕ symbol), and the check symbol is the value after the last one. Each step is a bijection
 * and the operation is totally anti-symmetric, so a single mistyped symbol and any swap of two different
 * neighbours (the check symbol included) always give another check symbol.
 */
export const SHORT_CODE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const SHORT_CODE_BODY_LENGTH = 11;

/**
 * Codes issued before, kept valid because they are printed and stored: 10 symbols and a check symbol
 * modulo 37 whose alphabet adds `*~$=U`, shown as XXXX-XXXX-XXX. They are told apart by their length.
 */
const LEGACY_CHECK_ALPHABET = `${SHORT_CODE_ALPHABET}*~$=U`;
const LEGACY_BODY_LENGTH = 10;

/** Multiplication by 2 in GF(32), reduced by the primitive polynomial x⁵ + x² + 1. */
function times2(value: number): number {
  const shifted = value << 1;
  return shifted & 32 ? shifted ^ 0b100101 : shifted;
}

/** The check symbol of a code's body (Damm over GF(32)); undefined when the body has a symbol outside the alphabet. */
export function shortCodeCheckSymbol(body: string): string | undefined {
  let interim = 0;
  for (const symbol of body) {
    const value = SHORT_CODE_ALPHABET.indexOf(symbol);
    if (value < 0) return undefined;
    interim = times2(interim ^ value);
  }
  return SHORT_CODE_ALPHABET[interim];
}

function legacyCheckSymbol(body: string): string | undefined {
  let sum = 0;
  for (const symbol of body) {
    const value = SHORT_CODE_ALPHABET.indexOf(symbol);
    if (value < 0) return undefined;
    sum = (sum * 32 + value) % 37;
  }
  return LEGACY_CHECK_ALPHABET[sum];
}

/** XXXX-XXXX-XXXX (XXXX-XXXX-XXX for a code issued before). */
export function formatShortCode(raw: string): string {
  return `${raw.slice(0, 4)}-${raw.slice(4, 8)}-${raw.slice(8)}`;
}

/**
 * Normalises what a cashier typed (case, spaces, dashes, and Crockford's look-alikes O→0, I/L→1) and
 * checks the check symbol. Returns the code as stored (XXXX-XXXX-XXXX, or XXXX-XXXX-XXX for a code
 * issued before), or undefined when it cannot be a valid code. The one parser of short codes: the till
 * uses it too, so what it accepts and what the api accepts never differ.
 */
export function parseShortCode(input: string): string | undefined {
  const raw = input.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  const [length, check] =
    raw.length === SHORT_CODE_BODY_LENGTH + 1
      ? [SHORT_CODE_BODY_LENGTH, shortCodeCheckSymbol]
      : [LEGACY_BODY_LENGTH, legacyCheckSymbol];
  if (raw.length !== length + 1) return undefined;
  return check(raw.slice(0, length)) === raw[length] ? formatShortCode(raw) : undefined;
}
