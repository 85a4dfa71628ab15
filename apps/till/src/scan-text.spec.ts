import { formatShortCode, SHORT_CODE_ALPHABET, shortCodeCheckSymbol } from '@quan/domain';
import { checkTyped, readScanned } from './scan-text';

const BODY = '7KQ2M9XD4TZ';
const CODE = formatShortCode(BODY + shortCodeCheckSymbol(BODY)!);

describe('reading what was scanned or typed at the till', () => {
  it('reads a QR token (a JWT) as a token and a short code in any case, spacing or dashes as the canonical code', () => {
    expect(readScanned(' eyJhbGciOiJIUzI1NiJ9.eyJ2IjoxfQ.c2lnbmF0dXJl\n')).toEqual({
      kind: 'token',
      token: 'eyJhbGciOiJIUzI1NiJ9.eyJ2IjoxfQ.c2lnbmF0dXJl',
    });
    expect(readScanned(CODE.toLowerCase().replace(/-/g, ' '))).toEqual({ kind: 'code', code: CODE });
  });

  it('refuses a code with one wrong character while it is typed, and waits while it is incomplete', () => {
    const raw = CODE.replace(/-/g, '');
    const wrong = SHORT_CODE_ALPHABET[(SHORT_CODE_ALPHABET.indexOf(raw[3]) + 1) % SHORT_CODE_ALPHABET.length];
    const typo = raw.slice(0, 3) + wrong + raw.slice(4);
    expect(readScanned(typo)).toBeUndefined();
    expect(checkTyped(typo)).toBe('invalid');
    expect(checkTyped(raw.slice(0, 11))).toBe('incomplete');
    expect(checkTyped(CODE)).toBe('valid');
  });
});
