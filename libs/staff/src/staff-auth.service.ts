import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { EntityManager, Repository } from 'typeorm';
import { StaffPrincipal, TokenService } from '@quan/auth';
import { StaffAccount, SubjectKind } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { hashPassword, verifyPassword } from '@quan/platform';
import { StaffAccountDto } from '@quan/staff-accounts';
import { LoginThrottle } from './login-throttle';
import { StaffSessionDto } from './staff.dto';

const principalOf = (account: StaffAccount): StaffPrincipal => ({
  kind: SubjectKind.Staff,
  id: account.id,
  role: account.role,
  countyCode: account.countyCode,
  merchantId: account.merchantId,
});

const invalidCredentials = () => new DomainError(ErrorCode.InvalidCredentials, 'Unknown username or wrong password');

/**
 * Staff sign-in. An unknown username and a wrong password get the same 401 after the same argon2
 * work, and are throttled the same way (LoginThrottle), so usernames cannot be probed. No account is
 * ever locked by failures: whoever knows a username could otherwise lock its owner out.
 */
@Injectable()
export class StaffAuthService {
  /** A hash to verify against when the username is unknown, so both cases cost the same. */
  private readonly decoyHash: Promise<string> = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    @InjectRepository(StaffAccount) private readonly accounts: Repository<StaffAccount>,
    private readonly tokens: TokenService,
    private readonly throttle: LoginThrottle,
  ) {}

  async login(username: string, password: string, address: string): Promise<StaffSessionDto> {
    await this.throttle.attempt(username, address);
    const account = await this.accounts.findOneBy({ username });
    if (!account) {
      await verifyPassword(await this.decoyHash, password);
      await this.throttle.failed(username, 'unknown_username');
      throw invalidCredentials();
    }
    if (!(await verifyPassword(account.passwordHash, password))) {
      await this.throttle.failed(username, 'wrong_password');
      throw invalidCredentials();
    }
    await this.throttle.succeeded(username, address);
    if (account.disabled) throw new DomainError(ErrorCode.AccountDisabled, 'This account is disabled');
    return this.session(account);
  }

  /** Spends a refresh token and answers a new pair of its session for the same, still usable, account. */
  async refresh(refreshToken: string): Promise<StaffSessionDto> {
    const [pair, account] = await this.tokens.rotate(
      refreshToken,
      SubjectKind.Staff,
      (accountId, manager) => this.usableAccount(accountId, manager),
      principalOf,
    );
    return sessionOf(pair, account);
  }

  private async usableAccount(id: string, manager: EntityManager): Promise<StaffAccount> {
    const account = await manager.getRepository(StaffAccount).findOneBy({ id });
    if (!account || account.disabled)
      throw new DomainError(ErrorCode.Unauthenticated, 'This account can no longer log in');
    return account;
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
    return sessionOf(await this.tokens.issue(principalOf(account)), account);
  }
}

function sessionOf(pair: Awaited<ReturnType<TokenService['issue']>>, account: StaffAccount): StaffSessionDto {
  return { ...pair, tokenType: 'Bearer', account: StaffAccountDto.from(account) };
}
