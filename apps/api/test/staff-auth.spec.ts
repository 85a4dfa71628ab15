import { Logger } from '@nestjs/common';
import { StaffAccount } from '@quan/data';
import { DEMO_PASSWORD } from '@quan/demo';
import { Api, startApi } from './support/api';

describe('staff login, throttling, refresh and logout', () => {
  let api: Api;

  beforeAll(async () => {
    // Short waits (2 s, doubling, at most 3 s) and a low ceiling keep the throttling tests quick. No other
    // test fails one username 12 times.
    api = await startApi({ LOGIN_DELAY_BASE_S: 2, LOGIN_DELAY_MAX_S: 3, LOGIN_USERNAME_FAILURE_CEILING: 12 });
  });

  afterAll(() => api?.close());

  /** A login from a client address, as the trusted proxy in front of the api (loopback here) reports it. */
  const login = (username: string, password: string, address = '127.0.0.1') =>
    api.call('POST', '/auth/staff/login', { body: { username, password }, headers: { 'x-forwarded-for': address } });
  const accounts = () => api.db.getRepository(StaffAccount);

  it('logs a staff member in with short-lived tokens that carry their role and scope', async () => {
    const reply = await login('hanbin-admin', DEMO_PASSWORD);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      tokenType: 'Bearer',
      expiresIn: api.env.config.ACCESS_TOKEN_TTL_S,
      account: { username: 'hanbin-admin', role: 'county_admin', countyCode: 'hanbin' },
    });
    expect(reply.body.account).not.toHaveProperty('passwordHash');
    const me = await api.call('GET', '/auth/staff/me', { token: reply.body.accessToken as string });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ username: 'hanbin-admin', countyCode: 'hanbin', merchantId: null });
  });

  it('answers an unknown username exactly like a wrong password', async () => {
    const wrong = await login('finance', 'not-the-password');
    const unknown = await login('nobody-here', 'not-the-password');
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    const strip = ({ requestId: _requestId, ...rest }: Record<string, unknown>) => rest;
    expect(strip(unknown.body)).toEqual(strip(wrong.body));
    expect(wrong.body.code).toBe('INVALID_CREDENTIALS');
  });

  it('spends comparable argon2 work on unknown usernames and wrong passwords', async () => {
    // The fastest of eight attempts each, taken in turns (so a busy machine's pauses hit both alike), each
    // from an address of its own (so none is throttled).
    const times = { known: [] as number[], unknown: [] as number[] };
    const time = async (username: string, into: number[], address: string) => {
      const started = process.hrtime.bigint();
      await login(username, 'not-the-password', address);
      into.push(Number(process.hrtime.bigint() - started));
    };
    for (let i = 0; i < 8; i += 1) {
      await time('auditor', times.known, `198.18.0.${i}`);
      await time('ghost-of-auditor', times.unknown, `198.18.1.${i}`);
    }
    const known = Math.min(...times.known);
    const unknown = Math.min(...times.unknown);
    expect(unknown / known).toBeGreaterThan(0.4);
    expect(unknown / known).toBeLessThan(2.5);
  });

  it('makes an address wait after 5 failures, longer after each further one, up to the cap, even for the right password', async () => {
    const attacker = '203.0.113.7';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login('xunyang-admin', `wrong-${i}`, attacker)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    const waiting = await login('xunyang-admin', DEMO_PASSWORD, attacker);
    expect(waiting.status).toBe(429);
    expect(waiting.body).toMatchObject({ code: 'LOGIN_THROTTLED', retryAfterSeconds: 2 });
    expect(waiting.headers['retry-after']).toBe('2');

    await new Promise((resolve) => setTimeout(resolve, 2100));
    expect((await login('xunyang-admin', 'wrong-5', attacker)).status).toBe(401);
    // The next wait doubles (4 s) but is capped at LOGIN_DELAY_MAX_S (3 s).
    const longer = await login('xunyang-admin', 'wrong-6', attacker);
    expect(longer.status).toBe(429);
    expect(longer.headers['retry-after']).toBe('3');
  });

  it('never stops the owner, from another address, while an attacker is throttled', async () => {
    const attacker = '203.0.113.66';
    const owner = '198.51.100.20';
    const attempts: number[] = [];
    for (let i = 0; i < 7; i += 1) attempts.push((await login('admin', `guess-${i}`, attacker)).status);
    expect(attempts).toEqual([401, 401, 401, 401, 401, 429, 429]);
    // The owner mistypes once, then gets in at once; no account is ever locked.
    expect((await login('admin', 'typo', owner)).status).toBe(401);
    expect((await login('admin', DEMO_PASSWORD, owner)).status).toBe(200);
    expect((await login('admin', DEMO_PASSWORD, attacker)).status).toBe(429);
  });

  it('counts failures per username and address: a success clears that address only', async () => {
    for (let i = 0; i < 4; i += 1) await login('approver', 'wrong');
    expect((await login('approver', DEMO_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await login('approver', 'wrong')).status).toBe(401);
    expect((await login('approver', DEMO_PASSWORD)).status).toBe(200);
    // Another username from the same address is counted apart.
    expect((await login('finance', DEMO_PASSWORD)).status).toBe(200);
  });

  it('throttles unknown usernames the same way', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login('no-such-operator', 'wrong', '203.0.113.9')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('past the ceiling of one username, slows every failing address after one failure, warns and counts, yet lets a fresh address in', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn');
    try {
      // A spread-out attack: 12 addresses (LOGIN_USERNAME_FAILURE_CEILING) with one failure each, none throttled.
      for (let i = 1; i <= 12; i += 1) {
        expect((await login('hanbin-admin', 'spray', `192.0.2.${i}`)).status).toBe(401);
        expect(warn).toHaveBeenCalledTimes(i < 12 ? 0 : 1);
      }
      expect(warn).toHaveBeenCalledWith(
        expect.objectContaining({ failures: 12 }),
        expect.stringContaining('credential stuffing'),
      );
      expect(JSON.stringify(warn.mock.calls)).not.toContain('hanbin-admin');
      // Now a new attacking address gets one free failure, not five.
      expect((await login('hanbin-admin', 'spray', '192.0.2.100')).status).toBe(401);
      expect((await login('hanbin-admin', 'spray', '192.0.2.100')).status).toBe(429);
      // The owner, from an address that has not failed, is not slowed at all.
      expect((await login('hanbin-admin', DEMO_PASSWORD, '198.51.100.30')).status).toBe(200);
    } finally {
      warn.mockRestore();
    }
    const metrics = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/staff_login_failures_total\{reason="wrong_password",service="api"\} \d+/);
    expect(metrics.body).toMatch(/staff_login_failures_total\{reason="throttled",service="api"\} \d+/);
  });

  it('takes the client address from the trusted proxy only', async () => {
    // The loopback proxy appended the address it saw; an entry the client wrote before it does not count.
    const forged = (i: number) => `10.9.9.${i}, 203.0.113.250`;
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login('spoof-probe', 'wrong', forged(i))).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
  });

  it('rotates refresh tokens: each works once, and logout revokes one', async () => {
    const first = (await login('finance', DEMO_PASSWORD)).body;
    const second = await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await api.call('GET', '/auth/staff/me', { token: second.body.accessToken as string })).body.username).toBe(
      'finance',
    );
    expect(
      (await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: first.refreshToken } })).body.code,
    ).toBe('UNAUTHENTICATED');
    expect(
      (await api.call('POST', '/auth/staff/logout', { body: { refreshToken: second.body.refreshToken } })).status,
    ).toBe(204);
    expect(
      (await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: second.body.refreshToken } })).status,
    ).toBe(401);
  });

  it('ends the whole session when a rotated refresh token is presented again', async () => {
    const refresh = (refreshToken: string) => api.call('POST', '/auth/staff/refresh', { body: { refreshToken } });
    const stolen = (await login('auditor', DEMO_PASSWORD)).body.refreshToken as string;
    const second = await refresh(stolen);
    const third = await refresh(second.body.refreshToken as string);
    expect(third.status).toBe(200);
    const otherSession = (await login('auditor', DEMO_PASSWORD)).body.refreshToken as string;

    expect((await refresh(stolen)).body.code).toBe('UNAUTHENTICATED');
    // The newest token of that session is revoked too; another session of the same account is not.
    expect((await refresh(third.body.refreshToken as string)).status).toBe(401);
    expect((await refresh(otherSession)).status).toBe(200);
  });

  it('revokes the token a racing rotation issued when the same refresh token is presented twice at once', async () => {
    const refresh = (refreshToken: string) => api.call('POST', '/auth/staff/refresh', { body: { refreshToken } });
    const token = (await login('finance', DEMO_PASSWORD)).body.refreshToken as string;
    const answers = await Promise.all([refresh(token), refresh(token)]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 401]);
    const issued = answers.find((answer) => answer.status === 200)!.body.refreshToken as string;
    expect((await refresh(issued)).status).toBe(401);
  });

  it('refuses a disabled account after checking its password, and ends its sessions', async () => {
    const session = (await login('auditor', DEMO_PASSWORD)).body;
    const admin = await api.login('admin');
    const auditor = await accounts().findOneByOrFail({ username: 'auditor' });
    expect(
      (await api.call('PATCH', `/staff-accounts/${auditor.id}`, { token: admin, body: { disabled: true } })).status,
    ).toBe(200);
    expect((await login('auditor', DEMO_PASSWORD)).body.code).toBe('ACCOUNT_DISABLED');
    expect((await login('auditor', 'wrong-password')).body.code).toBe('INVALID_CREDENTIALS');
    expect(
      (await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: session.refreshToken } })).status,
    ).toBe(401);
    await api.call('PATCH', `/staff-accounts/${auditor.id}`, { token: admin, body: { disabled: false } });
    expect((await login('auditor', DEMO_PASSWORD)).status).toBe(200);
  });

  it('stores new passwords as argon2id and rejects short ones', async () => {
    const admin = await api.login('admin');
    const created = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'finance-2', displayName: '财务 二', password: 'long-enough-pw', role: 'finance' },
    });
    expect(created.status).toBe(201);
    expect((await accounts().findOneByOrFail({ username: 'finance-2' })).passwordHash).toMatch(/^\$argon2id\$/);
    const short = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'finance-3', displayName: '财务 三', password: 'short', role: 'finance' },
    });
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'password' }] });
    const unbound = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'county-x', displayName: '区 管理员', password: 'long-enough-pw', role: 'county_admin' },
    });
    expect(unbound.body.code).toBe('ROLE_BINDING_INVALID');
    const taken = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'finance-2', displayName: '财务 二', password: 'long-enough-pw', role: 'finance' },
    });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ALREADY_EXISTS');
  });
});
