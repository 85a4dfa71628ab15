/**
 * Money on screen. Amounts are integer fen everywhere (docs/product.md invariant 4): formatting divides by
 * integer arithmetic, parsing reads the digits, neither goes through a float.
 */
export interface FenFormat {
  /** Drop zero decimals: 3000 → "30", 1250 → "12.5" (voucher rules: 满30减5). */
  compact?: boolean;
  /** Prefix with "¥" (default true). */
  symbol?: boolean;
}

/** 1250 → "¥12.50"; -5 → "-¥0.05". */
export function formatFen(fen: number, options: FenFormat = {}): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`not an integer amount of fen: ${fen}`);
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(fen);
  const yuan = Math.trunc(abs / 100).toLocaleString('en-US');
  let cents = String(abs % 100).padStart(2, '0');
  if (options.compact) cents = cents.replace(/0+$/, '');
  return `${sign}${options.symbol === false ? '' : '¥'}${yuan}${cents ? `.${cents}` : ''}`;
}

/**
 * What someone typed as an amount in yuan ("12", "12.5", "12.50", "¥1,234.5") → fen, or undefined when it
 * is not a non-negative amount with at most two decimals.
 */
export function parseYuanToFen(input: string): number | undefined {
  const match = /^(\d+)(?:\.(\d{0,2}))?$/.exec(
    input
      .trim()
      .replace(/^[¥￥]/, '')
      .replace(/,/g, ''),
  );
  if (!match) return undefined;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return Number.isSafeInteger(fen) ? fen : undefined;
}
