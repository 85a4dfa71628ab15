/** The numeric keypad's keys: digits, the decimal point, delete and clear. */
export type KeypadKey = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '.' | 'back' | 'clear';

/** At most ¥999,999.99 on the keypad: an order larger than that is a typo at a till. */
const MAX_INTEGER_DIGITS = 6;

/**
 * The amount text after a key press. Only ever a canonical yuan amount ("0", "12", "12.", "12.5",
 * "12.50"): at most two decimals, no leading zeros, so parseYuanToFen reads it without a float.
 */
export function pressKey(text: string, key: KeypadKey): string {
  if (key === 'clear') return '';
  if (key === 'back') return text.slice(0, -1);
  const [integer, decimals] = text.split('.');
  if (key === '.') return decimals !== undefined ? text : `${integer || '0'}.`;
  if (decimals !== undefined) return decimals.length >= 2 ? text : text + key;
  if (integer === '0') return key;
  return integer.length >= MAX_INTEGER_DIGITS ? text : text + key;
}
