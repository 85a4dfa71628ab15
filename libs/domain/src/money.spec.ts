import { fen, yuanToFen } from './money';

describe('money in fen', () => {
  it('accepts safe integers from numbers, bigint and strings (as Postgres bigint arrives)', () => {
    expect(fen(12345)).toBe(12345);
    expect(fen(BigInt(500000000))).toBe(500000000);
    expect(fen('-250')).toBe(-250);
  });

  it('rejects fractions, NaN and amounts beyond 2^53', () => {
    expect(() => fen(1.5)).toThrow(RangeError);
    expect(() => fen('12.30')).toThrow(RangeError);
    expect(() => fen(Number.NaN)).toThrow(RangeError);
    expect(() => fen('9007199254740993')).toThrow(RangeError);
  });

  it('converts whole yuan of campaign rules into fen', () => {
    expect(yuanToFen(20)).toBe(2000);
    expect(() => yuanToFen(0.005)).toThrow(RangeError);
  });
});
