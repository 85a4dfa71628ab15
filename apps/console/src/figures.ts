/** 拉动比 as the reports api gives it (two decimals), or a dash when there was no subsidy to divide by. */
export const leverageText = (leverage: number | null | undefined): string =>
  leverage === null || leverage === undefined ? '—' : leverage.toFixed(2);
