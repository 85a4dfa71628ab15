import { isValidLicenceNo, licenceCheckCharacter } from './licence';

describe('统一社会信用代码 check character', () => {
  it('accepts published codes', () => {
    expect(isValidLicenceNo('91350100M000100Y43')).toBe(true);
    expect(isValidLicenceNo('911100001000013030')).toBe(false);
    expect(isValidLicenceNo('91110000100001303X')).toBe(false);
  });

  it('catches a single mistyped character', () => {
    const valid = '91350100M000100Y43';
    for (let i = 0; i < 17; i += 1) {
      const replacement = valid[i] === '1' ? '2' : '1';
      expect(isValidLicenceNo(valid.slice(0, i) + replacement + valid.slice(i + 1))).toBe(false);
    }
  });

  it('rejects characters outside the alphabet and wrong lengths', () => {
    expect(licenceCheckCharacter('91350100I000100Y4')).toBeUndefined();
    expect(licenceCheckCharacter('9135')).toBeUndefined();
    expect(isValidLicenceNo('91350100M000100Y4')).toBe(false);
  });
});
