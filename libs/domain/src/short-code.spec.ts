import crypto from 'node:crypto';
import { parseShortCode } from './short-code';
import { generateShortCode } from './short-code-generator';

describe('voucher short codes', () => {
  it('generates codes of letters and digits only, without look-alikes, that parse back to themselves', () => {
    const checks = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const code = generateShortCode();
      expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(parseShortCode(code)).toBe(code);
      checks.add(code.slice(-1));
    }
    // The check symbol takes every value of the alphabet, and nothing else.
    expect([...checks].sort().join('')).toBe('0123456789ABCDEFGHJKMNPQRSTVWXYZ');
  });

  it('keeps the codes issued before valid: ten symbols and a check symbol modulo 37, symbols included', () => {
    for (const code of ['7BRR-WEB3-RM*', 'HJND-B5GT-1BW', '4Q0N-MN2X-VTU', '7Q8S-KDX8-JT$']) {
      expect(parseShortCode(code)).toBe(code);
      expect(parseShortCode(code.toLowerCase().replace(/-/g, ''))).toBe(code);
    }
    expect(parseShortCode('7Q8S-KDX8-JT=')).toBeUndefined();
    expect(parseShortCode('7Q8S-KDX8-JTW$')).toBeUndefined();
  });

  it('draws every symbol of the body equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 2000; i += 1) {
      for (const symbol of generateShortCode().replace(/-/g, '').slice(0, 11))
        counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    // 22,000 symbols over 32: 687.5 each expected, standard deviation about 26; the bounds are seven of them.
    expect(counts.size).toBe(32);
    expect([...counts.values()].filter((n) => n < 505 || n > 870)).toEqual([]);
  });

  it('draws the random bytes of 256 codes at a time and never hands out the same code twice', () => {
    const draws = jest.spyOn(crypto, 'randomFillSync');
    try {
      // 2,560 codes use exactly ten pools, wherever the previous tests left the current one.
      const codes = new Set(Array.from({ length: 2560 }, () => generateShortCode()));
      expect(draws).toHaveBeenCalledTimes(10);
      expect(draws.mock.calls.every(([pool]) => (pool as Buffer).length === 2816)).toBe(true);
      // 55 random bits per code: a repeat among 2,560 fresh codes has a chance of about 1 in 10^10.
      expect(codes.size).toBe(2560);
    } finally {
      draws.mockRestore();
    }
  });

  it('accepts what a cashier types: lower case, no dashes, O for 0 and I or L for 1', () => {
    const withZeroAndOne = [...'0123456789ABCDEFGHJKMNPQRSTVWXYZ']
      .map((check) => parseShortCode(`0123-4567-100${check}`))
      .find((code) => code !== undefined)!;
    expect(withZeroAndOne).toMatch(/^0123-4567-100.$/);
    expect(parseShortCode(withZeroAndOne.toLowerCase().replace(/-/g, ''))).toBe(withZeroAndOne);
    expect(parseShortCode(withZeroAndOne.replace(/0/g, 'O').replace('1', 'I').replace('1', 'l'))).toBe(withZeroAndOne);
  });

  it.each(Array.from({ length: 20 }, (_, n) => n))(
    'catches every single mistyped symbol and every swap of two different neighbours (code %i)',
    () => {
      const code = generateShortCode();
      const raw = code.replace(/-/g, '');
      const symbols = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
      for (let i = 0; i < raw.length; i += 1) {
        for (const other of symbols) {
          if (other === raw[i]) continue;
          expect(parseShortCode(raw.slice(0, i) + other + raw.slice(i + 1))).toBeUndefined();
        }
        if (i + 1 < raw.length && raw[i] !== raw[i + 1]) {
          expect(parseShortCode(raw.slice(0, i) + raw[i + 1] + raw[i] + raw.slice(i + 2))).toBeUndefined();
        }
      }
    },
  );

  it('rejects wrong lengths and foreign characters', () => {
    expect(parseShortCode('1234')).toBeUndefined();
    expect(parseShortCode('券券券券-券券券券-券券券')).toBeUndefined();
  });
});
