import crypto from 'node:crypto';
import { parseShortCode } from './short-code';
import { generateShortCode } from './short-code-generator';

describe('voucher short codes', () => {
  it('generates codes that parse back to themselves', () => {
    for (let i = 0; i < 200; i += 1) {
      const code = generateShortCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{2}[0-9A-HJKMNP-TV-Z*~$=U]$/);
      expect(parseShortCode(code)).toBe(code);
    }
  });

  it('draws every symbol of the body equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      for (const symbol of generateShortCode().replace(/-/g, '').slice(0, 10)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    // 20,000 symbols over 32: 625 each expected, standard deviation about 25; the bounds are seven of them.
    expect(counts.size).toBe(32);
    expect([...counts.values()].filter((n) => n < 450 || n > 800)).toEqual([]);
  });

  it('draws the random bytes of 256 codes at a time and never hands out the same code twice', () => {
    const draws = jest.spyOn(crypto, 'randomFillSync');
    try {
      // 2,560 codes use exactly ten pools, wherever the previous tests left the current one.
      const codes = new Set(Array.from({ length: 2560 }, () => generateShortCode()));
      expect(draws).toHaveBeenCalledTimes(10);
      expect(draws.mock.calls.every(([pool]) => (pool as Buffer).length === 2560)).toBe(true);
      // 50 random bits per code: a repeat among 2,560 fresh codes has a chance of about 1 in 10^8.
      expect(codes.size).toBe(2560);
    } finally {
      draws.mockRestore();
    }
  });

  it('accepts what a cashier types: lower case, no dashes, O for 0 and I or L for 1', () => {
    const withZeroAndOne = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ*~$=U']
      .map((check) => parseShortCode(`0123-4567-10${check}`))
      .find((code) => code !== undefined)!;
    expect(parseShortCode(withZeroAndOne.toLowerCase().replace(/-/g, ''))).toBe(withZeroAndOne);
    expect(parseShortCode(withZeroAndOne.replace(/0/g, 'O').replace('1', 'I').replace('1', 'l'))).toBe(withZeroAndOne);
  });

  it('catches every single mistyped symbol and every swap of two different neighbours', () => {
    const code = generateShortCode();
    const raw = code.replace(/-/g, '');
    const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
    for (let i = 0; i < raw.length - 1; i += 1) {
      for (const other of symbols) {
        if (other === raw[i]) continue;
        expect(parseShortCode(raw.slice(0, i) + other + raw.slice(i + 1))).toBeUndefined();
      }
      if (raw[i] !== raw[i + 1]) {
        expect(parseShortCode(raw.slice(0, i) + raw[i + 1] + raw[i] + raw.slice(i + 2))).toBeUndefined();
      }
    }
  });

  it('rejects wrong lengths and foreign characters', () => {
    expect(parseShortCode('1234')).toBeUndefined();
    expect(parseShortCode('券券券券-券券券券-券券券')).toBeUndefined();
  });
});
