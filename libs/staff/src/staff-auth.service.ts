import { createHash, randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import Redis from 'ioredis';
import { Repository } from 'typeorm';
import { StaffAccountDto, StaffPrincipal, TokenService } from '@quan/auth';
import { REDIS, RedisKeys, StaffAccount, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { hashPassword, verifyPassword } from '@quan/platform';
import { StaffSessionDto } from './staff.dto';

/** Consecutive failed logins that lock an account, and for how long. */
export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

const invalidCredentials = () => new DomainError(ErrorCode.InvalidCredentials, 'Unknown username or wrong password');
const locked = () =>
  new DomainError(ErrorCode.AccountLocked, `Too many failed logins: try again in ${LOCK_MINUTES} minutes or ask an operator to unlock the account`, {
    retryAfterSeconds: LOCK_MINUTES * 60,
  });

/**
 * Staff sign-in. An unknown username and a wrong password get the same 401 after the same argon2
 * work, and lock out the same way (unknown names are counted in Redis), so usernames cannot be probed.
 */
@Injectable()
export class StaffAuthService {
  private readonly logger = new Logger(StaffAuthService.name);
  /** A hash to verify against when the username is unknown, so both cases cost the same. */
  private readonly decoyHash: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    @InjectRepository(StaffAccount) private readonly accounts: Repository<StaffAccount>,
    private readonly tokens: TokenService,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async login(username: string, password: string): Promise<StaffSessionDto> {
    const account = await this.accounts.findOneBy({ username });
    if (!account) {
      const failuresKey = this.keys.key('login-failures', createHash('sha256').update(username).digest('hex'));
      if (await this.unknownLocked(failuresKey)) throw locked();
      await verifyPassword(await this.decoyHash, password);
      throw (await this.countUnknownFailure(failuresKey)) ? locked() : invalidCredentials();
    }
    if (account.lockedUntil && account.lockedUntil > new Date()) throw locked();
    if (!(await verifyPassword(account.passwordHash, password))) {
      throw (await this.countFailure(account.id)) ? locked() : invalidCredentials();
    }
    if (account.disabled) throw new DomainError(ErrorCode.AccountDisabled, 'This account is disabled');
    if (account.failedLogins > 0 || account.lockedUntil) await this.accounts.update(account.id, { failedLogins: 0, lockedUntil: null });
    return this.session(account);
  }

  /** Spends a refresh token and answers a new pair for the same, still usable, account. */
  async refresh(refreshToken: string): Promise<StaffSessionDto> {
    const accountId = await this.tokens.redeemRefreshToken(refreshToken, SubjectKind.Staff);
    const account = await this.accounts.findOneBy({ id: accountId });
    if (!account || account.disabled || (account.lockedUntil && account.lockedUntil > new Date())) {
      throw new DomainError(ErrorCode.Unauthenticated, 'This account can no longer log in');
    }
    return this.session(account);
  }

  logout(refreshToken: string): Promise<void> {
    return this.tokens.revoke(refreshToken);
  }

  async me(principal: StaffPrincipal): Promise<StaffAccountDto> {
    const account = await this.accounts.findOneBy({ id: principal.id });
    if (!account) throw new DomainError(ErrorCode.StaffAccountNotFound, 'Your account no longer exists');
    return StaffAccountDto.from(account);
  }

  private async session(account: StaffAccount): Promise<StaffSessionDto> {
    const pair = await this.tokens.issue({
      kind: SubjectKind.Staff,
      id: account.id,
      role: account.role,
      countyCode: account.countyCode,
      merchantId: account.merchantId,
    });
    return { ...pair, tokenType: 'Bearer', account: StaffAccountDto.from(account) };
  }

  /** Counts a failure atomically; true when this failure locks the account. */
  private async countFailure(accountId: string): Promise<boolean> {
    const rows = (await this.accounts.query(
      `UPDATE staff_accounts SET
         failed_logins = CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END,
         locked_until = CASE WHEN (CASE WHEN locked_until IS NOT NULL AND locked_until <= now() THEN 1 ELSE failed_logins + 1 END) >= $2
                             THEN now() + make_interval(mins => $3) END
       WHERE id = $1
       RETURNING locked_until`,
      [accountId, MAX_FAILED_LOGINS, LOCK_MINUTES],
    )) as [{ locked_until: Date | null }[], number];
    return rows[0][0]?.locked_until != null;
  }

  /** Whether a username without an account has failed as often as locks a real one. */
  private async unknownLocked(key: string): Promise<boolean> {
    const failures = await this.redis.get(key).catch(() => null);
    return Number(failures ?? 0) >= MAX_FAILED_LOGINS;
  }

  /** The failure count of a username that has no account, kept in Redis for the lock period. */
  private async countUnknownFailure(key: string): Promise<boolean> {
    try {
      const [[, failures]] = (await this.redis.multi().incr(key).expire(key, LOCK_MINUTES * 60).exec()) as [[Error | null, number]];
      return failures >= MAX_FAILED_LOGINS;
    } catch (error) {
      this.logger.warn({ err: error instanceof Error ? error.message : String(error) }, 'could not count a failed login');
      return false;
    }
  }
}
