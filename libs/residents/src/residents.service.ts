import { createHmac, randomInt, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ResidentPrincipal, TokenPair, TokenService } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { Identity, REDIS, RedisClient, RedisKeys, Resident, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode, maskName, maskPhone, normaliseIdNumber, normalisePhone } from '@quan/domain';
import { recordAudit } from '@quan/platform';
import { AccountWriter } from './account-writer';
import { IDENTITY_VERIFIER, IdentityVerifier } from './identity-verifier';
import { IdentityVerifiedDto, MeDto } from './residents.dto';
import { SMS_SENDER, SmsSender } from './sms-sender';

const CODE_TTL_S = 300;
const MAX_CODE_ATTEMPTS = 5;
/** [window seconds, most requests] per phone; per client address, OTP_IP_LIMIT_PER_MIN. */
const PHONE_LIMITS: [number, number][] = [
  [60, 1],
  [3600, 5],
];
/** Identity attempts per resident, so that ID numbers cannot be tried one after another: [window seconds, most]. */
const IDENTITY_LIMITS: [number, number][] = [
  [3600, 5],
  [86400, 10],
];

/** Resident accounts: one-time-code login, tokens, identity verification. */
@Injectable()
export class ResidentsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    private readonly config: AppConfig,
    private readonly keys: RedisKeys,
    @Inject(REDIS) private readonly redis: RedisClient,
    @Inject(SMS_SENDER) private readonly sms: SmsSender,
    @Inject(IDENTITY_VERIFIER) private readonly verifier: IdentityVerifier,
    private readonly accounts: AccountWriter,
  ) {}

  private hash(domain: 'phone' | 'id' | 'device', value: string): string {
    return createHmac('sha256', this.config.PII_HASH_KEY).update(`${domain}:${value}`).digest('hex');
  }

  private phoneOf(input: string): string {
    const phone = normalisePhone(input);
    if (!phone) throw new DomainError(ErrorCode.ValidationFailed, 'phone must be a mainland mobile number');
    return phone;
  }

  /**
   * Counts a request in fixed windows, all at once (one transaction per window key, which may sit on different
   * masters of a cluster); over any limit is 429 RATE_LIMITED (Retry-After: that window) and nothing is done.
   */
  private async rateLimit(
    limits: [key: string, limit: [windowS: number, most: number]][],
    what: string,
  ): Promise<void> {
    const counts = await Promise.all(
      limits.map(async ([key, [windowS]]) => {
        const windowKey = this.keys.key('rl', key, String(windowS));
        const [[, count]] = (await this.redis.multi().incr(windowKey).expire(windowKey, windowS, 'NX').exec()) as [
          [null, number],
        ];
        return count;
      }),
    );
    const over = limits.find((_, i) => counts[i] > limits[i][1][1]);
    if (over)
      throw new DomainError(ErrorCode.RateLimited, `Too many ${what}; try again later`, {
        retryAfterSeconds: over[1][0],
      });
  }

  async requestCode(phoneInput: string, clientIp: string): Promise<{ expiresIn: number; devCode?: string }> {
    const phone = this.phoneOf(phoneInput);
    const phoneHash = this.hash('phone', phone);
    await this.rateLimit(
      [
        [`otp-ip:${clientIp}`, [60, this.config.OTP_IP_LIMIT_PER_MIN]],
        ...PHONE_LIMITS.map((limit): [string, [number, number]] => [`otp-phone:${phoneHash}`, limit]),
      ],
      'login codes requested',
    );
    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    await this.redis
      .multi()
      .set(this.keys.key('otp', `{${phoneHash}}`), code, 'EX', CODE_TTL_S)
      .del(this.keys.key('otp-tries', `{${phoneHash}}`))
      .exec();
    await this.sms.sendLoginCode(phone, code);
    // Outside production the login screen shows the code (there is no SMS gateway to read it from).
    if (this.config.NODE_ENV !== 'production')
      return { expiresIn: CODE_TTL_S, devCode: this.config.AUTH_DEV_OTP ?? code };
    return { expiresIn: CODE_TTL_S };
  }

  private async checkCode(phoneHash: string, code: string): Promise<void> {
    const devCode = this.config.NODE_ENV !== 'production' ? this.config.AUTH_DEV_OTP : undefined;
    if (devCode && code === devCode) return;
    const triesKey = this.keys.key('otp-tries', `{${phoneHash}}`);
    const [[, tries], [, expected]] = (await this.redis
      .multi()
      .incr(triesKey)
      .get(this.keys.key('otp', `{${phoneHash}}`))
      .expire(triesKey, CODE_TTL_S, 'NX')
      .exec()) as [[null, number], [null, string | null], unknown];
    const matches =
      expected !== null && expected.length === code.length && timingSafeEqual(Buffer.from(expected), Buffer.from(code));
    if (tries > MAX_CODE_ATTEMPTS || !matches) {
      throw new DomainError(ErrorCode.InvalidCode, 'The code is wrong or expired; request a new one');
    }
    await this.redis.del(this.keys.key('otp', `{${phoneHash}}`), triesKey);
  }

  async login(phoneInput: string, code: string): Promise<TokenPair> {
    const phone = this.phoneOf(phoneInput);
    const phoneHash = this.hash('phone', phone);
    await this.checkCode(phoneHash, code);
    const refresh = this.tokens.newRefreshToken();
    const account = await this.accounts.login(phoneHash, maskPhone(phone), refresh);
    return this.tokens.pairOf(this.principal(account.id, account.identityId), refresh);
  }

  private principal(id: string, identityId: string | null): ResidentPrincipal {
    return { kind: SubjectKind.Resident, id, identityId };
  }

  async refresh(refreshToken: string): Promise<TokenPair> {
    const [pair] = await this.tokens.rotate(
      refreshToken,
      SubjectKind.Resident,
      async (residentId, manager) => {
        const resident = await manager.getRepository(Resident).findOneBy({ id: residentId });
        if (!resident) throw new DomainError(ErrorCode.Unauthenticated, 'The account no longer exists');
        return resident;
      },
      (resident) => this.principal(resident.id, resident.identityId),
    );
    return pair;
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  /**
   * The real-name check every verification passes, a resident's own or a community agent's for a resident:
   * counts the attempt against `limits` (429 RATE_LIMITED), checks the ID number's check character (400
   * INVALID_ID_NUMBER) and asks the IdentityVerifier (422 IDENTITY_NOT_CONFIRMED). Answers the person's keyed
   * hash, which finds the one `identities` row every channel's limits count.
   */
  async checkIdentity(
    limits: [key: string, limit: [windowS: number, most: number]][],
    name: string,
    idNumberInput: string,
  ): Promise<{ idNumberHash: string; nameMasked: string }> {
    await this.rateLimit(limits, 'identity verification attempts');
    const idNumber = normaliseIdNumber(idNumberInput);
    if (!idNumber) throw new DomainError(ErrorCode.InvalidIdNumber, 'The ID number is not a valid 居民身份证号码');
    if ((await this.verifier.verify(name, idNumber)) !== 'confirmed') {
      throw new DomainError(
        ErrorCode.IdentityNotConfirmed,
        'The name and the ID number were not confirmed by the real-name check',
      );
    }
    return { idNumberHash: this.hash('id', idNumber), nameMasked: maskName(name) };
  }

  /** The keyed hash and masked form of a phone number (400 VALIDATION_FAILED when it is not one). */
  phoneOfInput(input: string): { phoneHash: string; phoneMasked: string } {
    const phone = this.phoneOf(input);
    return { phoneHash: this.hash('phone', phone), phoneMasked: maskPhone(phone) };
  }

  /**
   * Binds the account to a verified person, as the IdentityVerifier confirms. Several phone numbers may belong
   * to one person, up to IDENTITY_MAX_PHONES; they then share that person's limits, which the answer tells,
   * and each sharing (or refusal over the cap) is an audit entry of the identity for the bureau's fraud review.
   * Every attempt counts against the resident's rate limit. Returns fresh tokens that carry the identity.
   */
  async verifyIdentity(
    residentId: string,
    name: string,
    idNumberInput: string,
    source: VerificationSource = { ip: null, device: null },
  ): Promise<IdentityVerifiedDto> {
    const { idNumberHash } = await this.checkIdentity(
      IDENTITY_LIMITS.map((limit) => [`identity:${residentId}`, limit]),
      name,
      idNumberInput,
    );
    const binding = await this.accounts.bind(residentId, idNumberHash, maskName(name));
    if (binding.outcome === 'missing') throw new DomainError(ErrorCode.Unauthenticated, 'The account no longer exists');
    if (binding.outcome === 'other')
      throw new DomainError(ErrorCode.IdentityAlreadyVerified, 'This account is already verified as another person');
    const outcome =
      binding.outcome === 'shared'
        ? await this.bindShared(residentId, idNumberHash, maskName(name))
        : { identityId: binding.identityId, otherPhones: binding.otherPhones, refused: false };
    if (outcome.refused) {
      throw new DomainError(
        ErrorCode.IdentityPhonesExceeded,
        `This person is already verified on ${outcome.otherPhones} other phone numbers, the most allowed`,
        {
          maxPhones: this.config.IDENTITY_MAX_PHONES,
        },
      );
    }
    // Where it was verified from, for the bureau's identity-farm rule: the device as a keyed hash, the address as its range.
    await this.dataSource.query(
      `INSERT INTO risk_verification_sources (identity_id, resident_id, device_hash, address_prefix) VALUES ($1, $2, $3, $4)`,
      [
        outcome.identityId,
        residentId,
        source.device ? this.hash('device', source.device) : null,
        source.ip ? addressRange(source.ip) : null,
      ],
    );
    const tokens = await this.tokens.issue(this.principal(residentId, outcome.identityId));
    return { ...tokens, identityShared: outcome.otherPhones > 0, otherPhones: outcome.otherPhones };
  }

  /**
   * A phone joining a person verified on others: one transaction that counts the person's phones under the
   * person's lock and records the sharing (or the refusal over the cap) in the audit trail.
   */
  private bindShared(
    residentId: string,
    idNumberHash: string,
    nameMasked: string,
  ): Promise<{ identityId: string; otherPhones: number; refused: boolean }> {
    return this.dataSource.transaction(async (manager) => {
      // The upsert locks the person's row until commit, so two phones binding to one person are counted one after the other.
      const [identity] = (await manager.query(
        `INSERT INTO identities (id_number_hash, name_masked) VALUES ($1, $2)
         ON CONFLICT (id_number_hash) DO UPDATE SET id_number_hash = EXCLUDED.id_number_hash
         RETURNING id`,
        [idNumberHash, nameMasked],
      )) as { id: string }[];
      const resident = await manager
        .getRepository(Resident)
        .findOne({ where: { id: residentId }, lock: { mode: 'pessimistic_write' } });
      if (!resident) throw new DomainError(ErrorCode.Unauthenticated, 'The account no longer exists');
      if (resident.identityId && resident.identityId !== identity.id) {
        throw new DomainError(ErrorCode.IdentityAlreadyVerified, 'This account is already verified as another person');
      }
      const others = await manager.getRepository(Resident).countBy({ identityId: identity.id });
      const otherPhones = resident.identityId === identity.id ? others - 1 : others;
      if (resident.identityId === identity.id) return { identityId: identity.id, otherPhones, refused: false };
      const refused = otherPhones + 1 > this.config.IDENTITY_MAX_PHONES;
      if (otherPhones > 0) {
        // No personal data: the bureau follows the identity id to its accounts.
        const after = {
          accounts: refused ? otherPhones : otherPhones + 1,
          maxPhones: this.config.IDENTITY_MAX_PHONES,
          residentId,
        };
        await recordAudit(
          manager,
          { id: residentId, role: SubjectKind.Resident },
          {
            action: refused ? 'identity.share_refused' : 'identity.share',
            entityType: 'identity',
            entityId: identity.id,
            before: null,
            after,
          },
        );
      }
      if (!refused) await manager.getRepository(Resident).update(residentId, { identityId: identity.id });
      return { identityId: identity.id, otherPhones, refused };
    });
  }

  async me(residentId: string): Promise<MeDto> {
    const resident = await this.dataSource.getRepository(Resident).findOne({ where: { id: residentId } });
    if (!resident) throw new DomainError(ErrorCode.Unauthenticated, 'The account no longer exists');
    const identity = resident.identityId
      ? await this.dataSource.getRepository(Identity).findOneBy({ id: resident.identityId })
      : null;
    return {
      id: resident.id,
      phoneMasked: resident.phoneMasked,
      identityVerified: identity !== null,
      nameMasked: identity?.nameMasked ?? null,
    };
  }
}

/** Where a verification came from, as the request tells. */
export interface VerificationSource {
  ip: string | null;
  device: string | null;
}

/** The address range of an address: its /24 for IPv4, its /48 for IPv6 (the part a carrier assigns a site). */
export function addressRange(ip: string): string {
  const v4 = /^(?:::ffff:)?(\d+)\.(\d+)\.(\d+)\.\d+$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  return `${ip.split(':').slice(0, 3).join(':')}::/48`;
}
