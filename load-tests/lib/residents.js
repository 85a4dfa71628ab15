/**
 * A valid 居民身份证号码 for the n-th virtual resident born in `year` (check character per GB 11643);
 * unique for 336,000 residents per year.
 * @param {number} n
 * @param {number} year
 */
export function idNumber(n, year) {
  const month = String((Math.floor(n / 28000) % 12) + 1).padStart(2, '0');
  const day = String((Math.floor(n / 1000) % 28) + 1).padStart(2, '0');
  const body = `110105${year}${month}${day}${String(n % 1000).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += weights[i] * Number(body[i]);
  return body + '10X98765432'[sum % 11];
}
