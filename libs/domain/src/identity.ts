/**
 * 居民身份证号码 (GB 11643-1999): 17 digits and an ISO 7064 MOD 11-2 check character (0-9 or X),
 * the 7th to 14th digits a valid birth date.
 */
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECKS = '10X98765432';

/** The check character of an ID number's first 17 digits. */
export function idNumberCheckCharacter(digits17: string): string {
  return CHECKS[WEIGHTS.reduce((total, weight, i) => total + weight * Number(digits17[i]), 0) % 11];
}

/** The canonical form (upper-case X) of a valid ID number, or undefined. */
export function normaliseIdNumber(input: string): string | undefined {
  const id = input.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(id)) return undefined;
  if (idNumberCheckCharacter(id) !== id[17]) return undefined;
  const birth = new Date(`${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}T00:00:00Z`);
  if (Number.isNaN(birth.getTime()) || birth.toISOString().slice(0, 10).replace(/-/g, '') !== id.slice(6, 14))
    return undefined;
  return id;
}

/** Chinese mainland mobile numbers: 11 digits starting with 1[3-9]; an optional +86 is dropped. */
/** A mainland mobile number as people write it (+86, spaces and dashes allowed); normalisePhone reads it. */
export const PHONE_PATTERN = /^(\+?86[\s-]?)?1[3-9]\d[\s-]?\d{4}[\s-]?\d{4}$/;

export function normalisePhone(input: string): string | undefined {
  const digits = input.replace(/[\s-]/g, '').replace(/^\+?86/, '');
  return /^1[3-9]\d{9}$/.test(digits) ? digits : undefined;
}

/** 张三 -> 张*, 欧阳娜娜 -> 欧***: enough for a person to recognise, too little to identify. */
export function maskName(name: string): string {
  const chars = [...name.trim()];
  return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
}
