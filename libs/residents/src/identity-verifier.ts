import { AppConfig, IdentityVerifierName } from '@quan/config';

/** What a verifier concludes about a name and an ID number. */
export type IdentityVerdict = 'confirmed' | 'mismatch';

/**
 * Real-name verification (实名认证): whether the person named holds this ID number. The port a provider
 * adapter implements (docs/residents.md, "Real-name verification"); provided as IDENTITY_VERIFIER and chosen
 * by the IDENTITY_VERIFIER setting. The number handed over is normalised and its check character valid.
 * An adapter answers `mismatch` when the provider says the name and number do not belong together, and
 * throws a DomainError UNAVAILABLE when the provider cannot answer (the resident retries later).
 */
export interface IdentityVerifier {
  verify(name: string, idNumber: string): Promise<IdentityVerdict>;
}

export const IDENTITY_VERIFIER = Symbol('IDENTITY_VERIFIER');

/**
 * Development and tests: the ID number's check character (already checked before this) is the only check,
 * so any name is confirmed. Production configuration refuses it (libs/config).
 */
export class ChecksumOnlyIdentityVerifier implements IdentityVerifier {
  async verify(): Promise<IdentityVerdict> {
    return 'confirmed';
  }
}

/** The verifier of each IDENTITY_VERIFIER name; a provider adapter adds its own here. */
const VERIFIERS: Record<IdentityVerifierName, (config: AppConfig) => IdentityVerifier> = {
  checksum: () => new ChecksumOnlyIdentityVerifier(),
};

export function identityVerifierFor(config: AppConfig): IdentityVerifier {
  return VERIFIERS[config.IDENTITY_VERIFIER](config);
}
