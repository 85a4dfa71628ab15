import { checkLicence } from './licence';

describe('the licence check shown in the review queue', () => {
  it('passes a code whose 18th character is its check character, with the division it carries', () => {
    expect(checkLicence('91610902000700015X')).toEqual({ kind: 'valid', division: '610902' });
  });

  it('names the check character a mistyped code should end in', () => {
    expect(checkLicence('916109020007000150')).toEqual({ kind: 'invalid', expected: 'X' });
  });

  it('calls a code malformed when it is not 18 characters of the alphabet (no I, O, Z, S, V)', () => {
    expect(checkLicence('91610902000700015')).toEqual({ kind: 'malformed' });
    expect(checkLicence('9161090200070I015X')).toEqual({ kind: 'malformed' });
  });
});
