import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { AppConfig, parseDataKeys } from '@quan/config';

const FORMAT = 'v1';
const IV_BYTES = 12;

/** What a sealed value is for, bound into it (GCM's additional data) so a value moved to another column fails to open. */
export type SealedField = 'merchants.bank_account' | 'merchants.contact_phone';

/**
 * Seals personal and bank data at rest with AES-256-GCM. A sealed value is one text,
 * `v1:<key id>:<iv>:<tag>:<ciphertext>` (the last three base64), so each value names the key that opens it
 * and keys can be rotated by re-sealing (`npm run data:rekey`) while the old ones stay configured.
 */
export class FieldCipher {
  private constructor(
    private readonly keys: ReadonlyMap<string, Buffer>,
    readonly currentKeyId: string,
  ) {}

  static fromConfig(config: Pick<AppConfig, 'DATA_KEYS' | 'DATA_KEY_CURRENT'>): FieldCipher {
    return new FieldCipher(parseDataKeys(config.DATA_KEYS), config.DATA_KEY_CURRENT);
  }

  seal(field: SealedField, plain: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key(this.currentKeyId), iv).setAAD(Buffer.from(field));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return [
      FORMAT,
      this.currentKeyId,
      iv.toString('base64'),
      cipher.getAuthTag().toString('base64'),
      ciphertext.toString('base64'),
    ].join(':');
  }

  /** The clear value; throws when the key is unknown or the value was altered. */
  open(field: SealedField, sealed: string): string {
    const [format, keyId, iv, tag, ciphertext] = sealed.split(':');
    if (format !== FORMAT || ciphertext === undefined) throw new Error(`not a sealed ${field} value`);
    const decipher = createDecipheriv('aes-256-gcm', this.key(keyId), Buffer.from(iv, 'base64')).setAAD(
      Buffer.from(field),
    );
    decipher.setAuthTag(Buffer.from(tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]).toString('utf8');
  }

  /** The id of the key that sealed a value; null for a value still in clear. */
  static keyIdOf(value: string): string | null {
    const [format, keyId] = value.split(':');
    return format === FORMAT && keyId ? keyId : null;
  }

  private key(id: string): Buffer {
    const key = this.keys.get(id);
    if (!key) throw new Error(`data key ${id} is not configured (DATA_KEYS)`);
    return key;
  }
}
