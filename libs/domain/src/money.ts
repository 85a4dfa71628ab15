/**
 * Money is integer fen everywhere (docs/product.md invariant 4). A `Fen` is a plain number that has been
 * checked to be a safe integer; arithmetic helpers keep it that way and never produce a float.
 */
export type Fen = number & { readonly __brand: 'Fen' };

export function fen(value: number | bigint | string): Fen {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isSafeInteger(n)) {
    throw new RangeError(`not an integer amount of fen: ${String(value)}`);
  }
  return n as Fen;
}

/** Converts whole yuan (as written in campaign rules, e.g. 满100减20) to fen. */
export function yuanToFen(yuan: number): Fen {
  return fen(yuan * 100);
}
