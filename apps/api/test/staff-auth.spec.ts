import { StaffAccount } from '@quan/data';
import { DEMO_PASSWORD } from '@quan/demo';
import { Api, startApi } from './support/api';

describe('staff login, lock-out, refresh and logout', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api?.close());

  const login = (username: string, password: string) => api.call('POST', '/auth/staff/login', { body: { username, password } });
  const accounts = () => api.db.getRepository(StaffAccount);

  it('logs a staff member in with short-lived tokens that carry their role and scope', async () => {
    const reply = await login('hanbin-admin', DEMO_PASSWORD);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ tokenType: 'Bearer', expiresIn: api.env.config.ACCESS_TOKEN_TTL_S, account: { username: 'hanbin-admin', role: 'county_admin', countyCode: 'hanbin' } });
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
    // The fastest of four attempts (fewer than lock an account), so a busy machine's pauses do not count.
    const timed = async (username: string) => {
      const times: number[] = [];
      for (let i = 0; i < 4; i += 1) {
        const started = process.hrtime.bigint();
        await login(username, 'not-the-password');
        times.push(Number(process.hrtime.bigint() - started));
      }
      return Math.min(...times);
    };
    const known = await timed('auditor');
    const unknown = await timed('ghost-of-auditor');
    expect(unknown / known).toBeGreaterThan(0.4);
    expect(unknown / known).toBeLessThan(2.5);
    await accounts().update({ username: 'auditor' }, { failedLogins: 0 });
  });

  it('locks an account for 15 minutes after 5 consecutive failures, even against the right password', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push((await login('xunyang-admin', `wrong-${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423]);
    const lockedOut = await login('xunyang-admin', DEMO_PASSWORD);
    expect(lockedOut.status).toBe(423);
    expect(lockedOut.body).toMatchObject({ code: 'ACCOUNT_LOCKED', retryAfterSeconds: 900 });
    expect(lockedOut.headers['retry-after']).toBe('900');
    const account = await accounts().findOneByOrFail({ username: 'xunyang-admin' });
    const minutes = (account.lockedUntil!.getTime() - Date.now()) / 60000;
    expect(minutes).toBeGreaterThan(14);
    expect(minutes).toBeLessThanOrEqual(15);

    // When the lock has run out, the right password works and the count starts again.
    await accounts().update(account.id, { lockedUntil: new Date(Date.now() - 1000) });
    expect((await login('xunyang-admin', DEMO_PASSWORD)).status).toBe(200);
    expect(await accounts().findOneByOrFail({ id: account.id })).toMatchObject({ failedLogins: 0, lockedUntil: null });
  });

  it('resets the count on success, so only consecutive failures lock', async () => {
    for (let i = 0; i < 4; i += 1) await login('approver', 'wrong');
    expect((await login('approver', DEMO_PASSWORD)).status).toBe(200);
    for (let i = 0; i < 4; i += 1) expect((await login('approver', 'wrong')).status).toBe(401);
    expect((await login('approver', DEMO_PASSWORD)).status).toBe(200);
  });

  it('locks unknown usernames the same way', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i += 1) statuses.push((await login('no-such-operator', 'wrong')).status);
    expect(statuses).toEqual([401, 401, 401, 401, 423, 423]);
  });

  it('lets a city admin unlock an account', async () => {
    for (let i = 0; i < 5; i += 1) await login('hanbin-admin', 'wrong');
    expect((await login('hanbin-admin', DEMO_PASSWORD)).status).toBe(423);
    const admin = await api.login('admin');
    const account = await accounts().findOneByOrFail({ username: 'hanbin-admin' });
    const unlocked = await api.call('PATCH', `/staff-accounts/${account.id}`, { token: admin, body: { unlock: true } });
    expect(unlocked.status).toBe(200);
    expect(unlocked.body.lockedUntil).toBeNull();
    expect((await login('hanbin-admin', DEMO_PASSWORD)).status).toBe(200);
  });

  it('rotates refresh tokens: each works once, and logout revokes one', async () => {
    const first = (await login('finance', DEMO_PASSWORD)).body;
    const second = await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: first.refreshToken } });
    expect(second.status).toBe(200);
    expect(second.body.refreshToken).not.toBe(first.refreshToken);
    expect((await api.call('GET', '/auth/staff/me', { token: second.body.accessToken as string })).body.username).toBe('finance');
    expect((await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: first.refreshToken } })).body.code).toBe('UNAUTHENTICATED');
    expect((await api.call('POST', '/auth/staff/logout', { body: { refreshToken: second.body.refreshToken } })).status).toBe(204);
    expect((await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: second.body.refreshToken } })).status).toBe(401);
  });

  it('refuses a disabled account after checking its password, and ends its sessions', async () => {
    const session = (await login('auditor', DEMO_PASSWORD)).body;
    const admin = await api.login('admin');
    const auditor = await accounts().findOneByOrFail({ username: 'auditor' });
    expect((await api.call('PATCH', `/staff-accounts/${auditor.id}`, { token: admin, body: { disabled: true } })).status).toBe(200);
    expect((await login('auditor', DEMO_PASSWORD)).body.code).toBe('ACCOUNT_DISABLED');
    expect((await login('auditor', 'wrong-password')).body.code).toBe('INVALID_CREDENTIALS');
    expect((await api.call('POST', '/auth/staff/refresh', { body: { refreshToken: session.refreshToken } })).status).toBe(401);
    await api.call('PATCH', `/staff-accounts/${auditor.id}`, { token: admin, body: { disabled: false } });
    expect((await login('auditor', DEMO_PASSWORD)).status).toBe(200);
  });

  it('stores new passwords as argon2id and rejects short ones', async () => {
    const admin = await api.login('admin');
    const created = await api.call('POST', '/staff-accounts', { token: admin, body: { username: 'finance-2', displayName: '财务 二', password: 'long-enough-pw', role: 'finance' } });
    expect(created.status).toBe(201);
    expect((await accounts().findOneByOrFail({ username: 'finance-2' })).passwordHash).toMatch(/^\$argon2id\$/);
    const short = await api.call('POST', '/staff-accounts', { token: admin, body: { username: 'finance-3', displayName: '财务 三', password: 'short', role: 'finance' } });
    expect(short.body).toMatchObject({ code: 'VALIDATION_FAILED', errors: [{ field: 'password' }] });
    const unbound = await api.call('POST', '/staff-accounts', { token: admin, body: { username: 'county-x', displayName: '区 管理员', password: 'long-enough-pw', role: 'county_admin' } });
    expect(unbound.body.code).toBe('ROLE_BINDING_INVALID');
    const taken = await api.call('POST', '/staff-accounts', { token: admin, body: { username: 'finance-2', displayName: '财务 二', password: 'long-enough-pw', role: 'finance' } });
    expect(taken.status).toBe(409);
    expect(taken.body.code).toBe('ALREADY_EXISTS');
  });
});
