import { licenceCheckCharacter } from '@quan/domain';

export type LicenceCheck =
  { kind: 'valid'; division: string } | { kind: 'invalid'; expected: string } | { kind: 'malformed' };

/** The 统一社会信用代码 checked as the api checks it on application: its 18th character against the first 17. */
export function checkLicence(licenceNo: string): LicenceCheck {
  const expected = licenceNo.length === 18 ? licenceCheckCharacter(licenceNo.slice(0, 17)) : undefined;
  if (expected === undefined) return { kind: 'malformed' };
  return expected === licenceNo[17]
    ? { kind: 'valid', division: licenceNo.slice(2, 8) }
    : { kind: 'invalid', expected };
}
