/** Phone numbers never appear in logs in clear: 13812345678 -> 138****5678. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '*'.repeat(digits.length);
  return `${digits.slice(0, 3)}${'*'.repeat(digits.length - 7)}${digits.slice(-4)}`;
}

/** Bank account numbers are shown with all but the last 4 digits starred: 6217000012345678 -> ************5678. */
export function maskAccountNo(accountNo: string): string {
  return `${'*'.repeat(Math.max(accountNo.length - 4, 0))}${accountNo.slice(-4)}`;
}
