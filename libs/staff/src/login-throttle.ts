import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { Counter } from 'prom-client';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient, RedisKeys } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { Metrics } from '@quan/platform';

/** Why a staff login failed, as counted by staff_login_failures_total. */
export type LoginFailureReason = 'unknown_username' | 'wrong_password' | 'throttled';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

interface LoginAttemptScript {
  quanLoginAttempt(
    pairKey: string,
    usernameKey: string,
    now: number,
    windowS: number,
    free: number,
    freeUnderAttack: number,
    ceiling: number,
    baseMs: number,
    maxMs: number,
  ): Promise<[number, number]>;
}

/**
 * Slows password guessing without ever locking an account: tries are counted per username and client
 * address, and past LOGIN_FREE_FAILURES each further try from that address waits longer (doubling up
 * to LOGIN_DELAY_MAX_S, 429 LOGIN_THROTTLED). An attacker's failures thus never stop the owner, who
 * logs in from another address. Past LOGIN_USERNAME_FAILURE_CEILING failures of one username from
 * all addresses, every address that fails gets the waits after one failure (a spread-out attack is
 * slowed too), still without touching addresses that have not failed. Unknown usernames are counted
 * the same way, so the answers do not tell which usernames exist.
 */
@Injectable()
export class LoginThrottle {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly script: LoginAttemptScript;
  private readonly failures: Counter<'reason'>;

  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly config: AppConfig,
    metrics: Metrics,
  ) {
    redis.defineCommand('quanLoginAttempt', {
      numberOfKeys: 2,
      lua: readFileSync(join(__dirname, 'lua', 'login-attempt.lua'), 'utf8'),
    });
    this.script = redis as unknown as LoginAttemptScript;
    this.failures = new Counter({
      name: 'staff_login_failures_total',
      help: 'Failed staff logins by reason (unknown_username, wrong_password, throttled: refused before the password was checked)',
      labelNames: ['reason'],
      registers: [metrics.registry],
    });
  }

  /** Counts a try before the password is checked; 429 LOGIN_THROTTLED while this address must wait. */
  async attempt(username: string, address: string): Promise<void> {
    const {
      LOGIN_FAILURE_WINDOW_S,
      LOGIN_FREE_FAILURES,
      LOGIN_USERNAME_FAILURE_CEILING,
      LOGIN_DELAY_BASE_S,
      LOGIN_DELAY_MAX_S,
    } = this.config;
    const [allowed, waitMs] = await this.script.quanLoginAttempt(
      ...this.keysOf(username, address),
      Date.now(),
      LOGIN_FAILURE_WINDOW_S,
      LOGIN_FREE_FAILURES,
      1,
      LOGIN_USERNAME_FAILURE_CEILING,
      LOGIN_DELAY_BASE_S * 1000,
      LOGIN_DELAY_MAX_S * 1000,
    );
    if (allowed === 1) return;
    this.failures.inc({ reason: 'throttled' });
    const retryAfterSeconds = Math.ceil(waitMs / 1000);
    throw new DomainError(
      ErrorCode.LoginThrottled,
      `Too many failed logins from your address: try again in ${retryAfterSeconds} seconds`,
      { retryAfterSeconds },
    );
  }

  /** Counts a failed try against the username (all addresses) and warns once when it crosses the ceiling. */
  async failed(username: string, reason: Exclude<LoginFailureReason, 'throttled'>): Promise<void> {
    this.failures.inc({ reason });
    const usernameKey = this.usernameKey(username);
    const [[, failures]] = (await this.redis
      .multi()
      .incr(usernameKey)
      .expire(usernameKey, this.config.LOGIN_FAILURE_WINDOW_S)
      .exec()) as [[null, number]];
    if (failures === this.config.LOGIN_USERNAME_FAILURE_CEILING) {
      // The username's hash, never the name itself: a log line must not hand out valid usernames.
      this.logger.warn(
        { usernameHash: sha256(username).slice(0, 16), failures, windowS: this.config.LOGIN_FAILURE_WINDOW_S },
        'staff login failures for one username crossed the ceiling: possible credential stuffing',
      );
    }
  }

  /** A success from an address clears that address's count; other addresses keep theirs. */
  async succeeded(username: string, address: string): Promise<void> {
    await this.redis.del(this.keysOf(username, address)[0]);
  }

  /** Both keys of a username share one hash tag, so the script touches a single cluster slot. */
  private keysOf(username: string, address: string): [string, string] {
    return [this.keys.key(`{login:${sha256(username)}}`, 'address', sha256(address)), this.usernameKey(username)];
  }

  private usernameKey(username: string): string {
    return this.keys.key(`{login:${sha256(username)}}`, 'failures');
  }
}
