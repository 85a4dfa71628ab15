import { formatFen, parseYuanToFen } from './money';

describe('money on screen', () => {
  it.each([
    [1250, {}, '¥12.50'],
    [5, {}, '¥0.05'],
    [-5, {}, '-¥0.05'],
    [123456789, {}, '¥1,234,567.89'],
    [3000, { compact: true }, '¥30'],
    [1250, { compact: true, symbol: false }, '12.5'],
  ])('formats %i fen with %j as %s', (fen, options, shown) => {
    expect(formatFen(fen, options)).toBe(shown);
  });

  it('refuses a fractional amount of fen', () => {
    expect(() => formatFen(12.5)).toThrow(RangeError);
  });

  it.each([
    ['12', 1200],
    ['12.5', 1250],
    ['12.50', 1250],
    ['0.07', 7],
    ['¥1,234.56', 123456],
    [' 8. ', 800],
  ])('reads "%s" yuan as %i fen without a float', (typed, fen) => {
    expect(parseYuanToFen(typed)).toBe(fen);
  });

  it.each(['', 'abc', '1.234', '-3', '1e3', '12,5.5.5'])('refuses "%s"', (typed) => {
    expect(parseYuanToFen(typed)).toBeUndefined();
  });
});
