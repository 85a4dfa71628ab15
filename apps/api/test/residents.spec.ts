import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { AuditLog, Resident } from '@quan/data';
import { IDENTITY_VERIFIER, IdentityVerifier, LoggingSmsSender, SMS_SENDER } from '@quan/residents';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

describe('resident login and identity', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  const sent: { phone: string; code: string }[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment({ OTP_IP_LIMIT_PER_MIN: 20 });
    app = await createTestApp(AppModule.register(env.config), env.config);
    // Capture what the development sender would log.
    const sender = app.get<LoggingSmsSender>(SMS_SENDER);
    jest.spyOn(sender, 'sendLoginCode').mockImplementation(async (phone: string, code: string) => {
      sent.push({ phone, code });
    });
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  const post = (url: string, payload: object, token?: string, ip = '10.0.0.1') =>
    app.inject({
      method: 'POST',
      url: `/api/v1${url}`,
      payload,
      remoteAddress: ip,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });

  it('sends a one-time code and logs in with it once; the same phone is the same account', async () => {
    expect((await post('/auth/otp', { phone: '+86 138-0000-0001' })).statusCode).toBe(202);
    const { code } = sent.at(-1)!;
    expect(sent.at(-1)!.phone).toBe('13800000001');
    const first = await post('/auth/login', { phone: '13800000001', code });
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      accessToken: expect.any(String),
      refreshToken: expect.any(String),
      expiresIn: 900,
    });
    const reused = await post('/auth/login', { phone: '13800000001', code });
    expect([reused.statusCode, reused.json().code]).toEqual([401, 'INVALID_CODE']);

    const me = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${first.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({ phoneMasked: '138****0001', identityVerified: false, nameMasked: null });
  });

  it('answers the code itself outside production (the login screen shows it), and never in production', async () => {
    const answer = await post('/auth/otp', { phone: '13800000041' }, undefined, '10.0.0.41');
    expect(answer.json()).toEqual({ expiresIn: 300, devCode: sent.at(-1)!.code });
    const secrets = { JWT_SECRET: 'p'.repeat(40), PII_HASH_KEY: 'k'.repeat(40) };
    const production = await createTestEnvironment({ NODE_ENV: 'production', ...secrets });
    const prod = await createTestApp(AppModule.register(production.config), production.config);
    try {
      // A gateway that accepts the code, in place of the refusing sender a production build without one has.
      const gateway = jest.spyOn(prod.get<LoggingSmsSender>(SMS_SENDER), 'sendLoginCode').mockResolvedValue(undefined);
      const reply = await prod.inject({ method: 'POST', url: '/api/v1/auth/otp', payload: { phone: '13800000042' } });
      expect([reply.statusCode, reply.json()]).toEqual([202, { expiresIn: 300 }]);
      expect(gateway).toHaveBeenCalledTimes(1);
    } finally {
      await prod.close();
      await production.dispose();
    }
  });

  it('rate-limits codes per phone and per client address', async () => {
    expect((await post('/auth/otp', { phone: '13800000002' }, undefined, '10.0.0.2')).statusCode).toBe(202);
    const again = await post('/auth/otp', { phone: '13800000002' }, undefined, '10.0.0.2');
    expect([again.statusCode, again.json().code]).toEqual([429, 'RATE_LIMITED']);
    const answers = [];
    for (let i = 0; i < 21; i += 1)
      answers.push(
        (await post('/auth/otp', { phone: `1390000${String(i).padStart(4, '0')}` }, undefined, '10.0.0.3')).statusCode,
      );
    expect(answers.slice(0, 20).every((status) => status === 202)).toBe(true);
    expect(answers[20]).toBe(429);
  });

  it('locks a code after five wrong guesses', async () => {
    await post('/auth/otp', { phone: '13800000003' }, undefined, '10.0.0.4');
    const { code } = sent.at(-1)!;
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1)
      expect((await post('/auth/login', { phone: '13800000003', code: wrong })).statusCode).toBe(401);
    expect((await post('/auth/login', { phone: '13800000003', code })).statusCode).toBe(401);
  });

  it('rejects malformed phones and codes with 400 and changes nothing', async () => {
    const badPhone = await post('/auth/otp', { phone: '12345' });
    expect([badPhone.statusCode, badPhone.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await post('/auth/login', { phone: '13800000004', code: '12ab56' })).statusCode).toBe(400);
  });

  const login = async (phone: string) => {
    await post('/auth/otp', { phone }, undefined, `10.1.0.${phone.slice(-2)}`);
    return (await post('/auth/login', { phone, code: sent.at(-1)!.code })).json().accessToken as string;
  };
  const tokenSubject = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;

  it("records where an identity was verified from, for the risk rules: the device as a keyed hash, the address's range", async () => {
    const token = await login('13800000091');
    const verified = await app.inject({
      method: 'POST',
      url: '/api/v1/me/identity',
      payload: { name: '王五', idNumber: '110101198506120055' },
      remoteAddress: '100.64.12.34',
      headers: { authorization: `Bearer ${token}`, 'x-device-id': 'device-token-31' },
    });
    expect(verified.statusCode).toBe(200);
    const rows: { identity_id: string; device_hash: string; address_prefix: string }[] = await app
      .get(DataSource)
      .query(
        `SELECT s.identity_id, s.device_hash, s.address_prefix FROM risk_verification_sources s
           JOIN residents r ON r.id = s.resident_id WHERE r.identity_id = s.identity_id AND r.id = $1`,
        [tokenSubject(token)],
      );
    expect(rows).toEqual([
      {
        identity_id: expect.any(String),
        device_hash: expect.stringMatching(/^[0-9a-f]{64}$/),
        address_prefix: '100.64.12.0/24',
      },
    ]);
    expect(rows[0].device_hash).not.toContain('device-token');
  });

  it('verifies identity by ID number; two phones of one person share the identity, and are told so; tokens carry it', async () => {
    const first = await login('13800000011');
    const second = await login('13800000012');
    const invalid = await post('/me/identity', { name: '张三', idNumber: '110105194912310021' }, first);
    expect([invalid.statusCode, invalid.json().code]).toEqual([400, 'INVALID_ID_NUMBER']);
    const verified = await post('/me/identity', { name: '张三', idNumber: '11010519491231002x' }, first);
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toMatchObject({ identityShared: false, otherPhones: 0 });
    const shared = await post('/me/identity', { name: '张三', idNumber: '11010519491231002X' }, second);
    expect([shared.statusCode, shared.json().identityShared, shared.json().otherPhones]).toEqual([200, true, 1]);
    const conflict = await post(
      '/me/identity',
      { name: '李四', idNumber: '110101199003074477' },
      verified.json().accessToken,
    );
    expect([conflict.statusCode, conflict.json().code]).toEqual([409, 'IDENTITY_ALREADY_VERIFIED']);

    const me = await app.inject({
      url: '/api/v1/me',
      headers: { authorization: `Bearer ${verified.json().accessToken}` },
    });
    expect(me.json()).toMatchObject({ identityVerified: true, nameMasked: '张*' });
    const payload = JSON.parse(Buffer.from(verified.json().accessToken.split('.')[1], 'base64url').toString());
    expect(payload.idn).toEqual(expect.any(String));
  });

  it('caps the phones of one person, and records each sharing for the fraud review without personal data', async () => {
    const idNumber = '110101199003070011';
    const tokens = [];
    for (const phone of ['13800000031', '13800000032', '13800000033']) tokens.push(await login(phone));
    expect((await post('/me/identity', { name: '赵六', idNumber }, tokens[0])).json()).toMatchObject({
      identityShared: false,
    });
    expect((await post('/me/identity', { name: '赵六', idNumber }, tokens[1])).json()).toMatchObject({
      identityShared: true,
      otherPhones: 1,
    });
    const third = await post('/me/identity', { name: '赵六', idNumber }, tokens[2]);
    expect([third.statusCode, third.json().code, third.json().maxPhones]).toEqual([409, 'IDENTITY_PHONES_EXCEEDED', 2]);
    const me = await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${tokens[2]}` } });
    expect(me.json().identityVerified).toBe(false);

    const residents = app.get(DataSource).getRepository(Resident);
    const { identityId } = await residents.findOneByOrFail({ id: tokenSubject(tokens[1]) });
    const entries = await app
      .get(DataSource)
      .getRepository(AuditLog)
      .find({ where: { entityType: 'identity', entityId: identityId! }, order: { id: 'ASC' } });
    expect(entries.map((entry) => [entry.action, entry.actorRole, entry.after])).toEqual([
      ['identity.share', 'resident', { accounts: 2, maxPhones: 2, residentId: tokenSubject(tokens[1]) }],
      ['identity.share_refused', 'resident', { accounts: 2, maxPhones: 2, residentId: tokenSubject(tokens[2]) }],
    ]);
    expect(JSON.stringify(entries)).not.toMatch(/赵|110101199003070011|1380000003/);
  });

  it('goes through the configured IdentityVerifier: a name it does not confirm is 422 and binds nothing', async () => {
    const token = await login('13800000061');
    const verifier = app.get<IdentityVerifier>(IDENTITY_VERIFIER);
    jest.spyOn(verifier, 'verify').mockResolvedValueOnce('mismatch');
    const refused = await post('/me/identity', { name: '钱七', idNumber: '110101198506151230' }, token);
    expect([refused.statusCode, refused.json().code]).toEqual([422, 'IDENTITY_NOT_CONFIRMED']);
    expect(verifier.verify).toHaveBeenCalledWith('钱七', '110101198506151230');
    expect(
      (await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${token}` } })).json().identityVerified,
    ).toBe(false);
  });

  it('rate-limits identity attempts per resident, so ID numbers cannot be tried one after another', async () => {
    const token = await login('13800000051');
    const other = await login('13800000052');
    // Five refused attempts (as someone would try numbers), then even a valid one waits.
    for (let i = 0; i < 5; i += 1)
      expect((await post('/me/identity', { name: '孙八', idNumber: '110101199003070000' }, token)).statusCode).toBe(
        400,
      );
    const limited = await post('/me/identity', { name: '孙八', idNumber: '110101199003071233' }, token);
    expect([limited.statusCode, limited.json().code, limited.headers['retry-after']]).toEqual([
      429,
      'RATE_LIMITED',
      '3600',
    ]);
    expect((await post('/me/identity', { name: '孙八', idNumber: '110101199003071233' }, other)).statusCode).toBe(200);
  });

  it('tells a claim with a token issued before verification to use the tokens that verification returned', async () => {
    await post('/auth/otp', { phone: '13800000013' }, undefined, '10.1.0.13');
    const before = (await post('/auth/login', { phone: '13800000013', code: sent.at(-1)!.code })).json()
      .accessToken as string;
    const verified = await post('/me/identity', { name: '王五', idNumber: '110101198506151230' }, before);
    const claim = (token: string) => post(`/rounds/${randomUUID()}/claims`, { offerId: randomUUID() }, token);

    const stale = await claim(before);
    expect(stale.statusCode).toBe(403);
    expect(stale.json()).toMatchObject({
      code: 'IDENTITY_REQUIRED',
      detail: expect.stringContaining('use the access token that POST /api/v1/me/identity returned'),
    });
    // The account is verified all the same; only the token predates it.
    expect(
      (await app.inject({ url: '/api/v1/me', headers: { authorization: `Bearer ${before}` } })).json().identityVerified,
    ).toBe(true);
    // The returned token passes the identity check and reaches the round lookup.
    expect((await claim(verified.json().accessToken)).json().code).toBe('ROUND_NOT_FOUND');
  });

  it('refreshes once per refresh token and logs out', async () => {
    await post('/auth/otp', { phone: '13800000021' }, undefined, '10.2.0.1');
    const tokens = (await post('/auth/login', { phone: '13800000021', code: sent.at(-1)!.code })).json();
    const refreshed = await post('/auth/refresh', { refreshToken: tokens.refreshToken });
    expect(refreshed.statusCode).toBe(200);
    expect((await post('/auth/refresh', { refreshToken: tokens.refreshToken })).statusCode).toBe(401);
    expect((await post('/auth/logout', { refreshToken: refreshed.json().refreshToken })).statusCode).toBe(204);
    expect((await post('/auth/refresh', { refreshToken: refreshed.json().refreshToken })).statusCode).toBe(401);
  });
});

describe('logins and verifications at once', () => {
  let env: TestEnvironment;
  let app: NestFastifyApplication;
  const login = (phone: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { phone, code: '246810' } });
  const refresh = (refreshToken: string) =>
    app.inject({ method: 'POST', url: '/api/v1/auth/refresh', payload: { refreshToken } });
  const subject = (token: string) =>
    (JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string }).sub;

  beforeAll(async () => {
    env = await createTestEnvironment({ AUTH_DEV_OTP: '246810', IDENTITY_MAX_PHONES: 2 });
    app = await createTestApp(AppModule.register(env.config), env.config);
  });

  afterAll(async () => {
    await app?.close();
    await env?.dispose();
  });

  it('logs one phone in from many devices at once: one account, a session of its own for each', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, () => login('13600000001')));
    expect(answers.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    const pairs = answers.map((a) => a.json() as { accessToken: string; refreshToken: string });
    expect(new Set(pairs.map((p) => subject(p.accessToken))).size).toBe(1);
    expect(
      await app.get(DataSource).query(`SELECT count(*)::int AS n FROM residents WHERE phone_masked = '136****0001'`),
    ).toEqual([{ n: 1 }]);
    // Each session rotates on its own, and each of its refresh tokens works once.
    const rotated = await Promise.all(pairs.map((p) => refresh(p.refreshToken)));
    expect(rotated.map((a) => a.statusCode)).toEqual(Array(20).fill(200));
    expect((await refresh(pairs[0].refreshToken)).statusCode).toBe(401);
  });

  it('ends the whole session when a refresh token is presented again after its rotation', async () => {
    const first = (await login('13600000002')).json() as { refreshToken: string };
    const second = (await refresh(first.refreshToken)).json() as { refreshToken: string };
    const reuse = await refresh(first.refreshToken);
    expect([reuse.statusCode, reuse.json().code]).toEqual([401, 'UNAUTHENTICATED']);
    // The token issued in its place is revoked with the family: the thief and the owner both log in again.
    expect((await refresh(second.refreshToken)).statusCode).toBe(401);
    // Another session of the same phone is untouched.
    const other = (await login('13600000002')).json() as { refreshToken: string };
    expect((await refresh(other.refreshToken)).statusCode).toBe(200);
  });

  it('binds at most IDENTITY_MAX_PHONES phones to one person when they verify at the same moment', async () => {
    const tokens = await Promise.all(
      [3, 4, 5, 6, 7].map(async (n) => (await login(`1360000000${n}`)).json().accessToken as string),
    );
    const answers = await Promise.all(
      tokens.map((token) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/me/identity',
          payload: { name: '周九', idNumber: '110101199003071233' },
          headers: { authorization: `Bearer ${token}` },
        }),
      ),
    );
    const statuses = answers.map((a) => `${a.statusCode} ${a.statusCode === 200 ? '' : a.json().code}`.trim()).sort();
    expect(statuses).toEqual([
      '200',
      '200',
      '409 IDENTITY_PHONES_EXCEEDED',
      '409 IDENTITY_PHONES_EXCEEDED',
      '409 IDENTITY_PHONES_EXCEEDED',
    ]);
    const bound = await app
      .get(DataSource)
      .query(
        `SELECT count(DISTINCT identity_id)::int AS people, count(*)::int AS phones FROM residents WHERE identity_id IS NOT NULL`,
      );
    expect(bound).toEqual([{ people: 1, phones: 2 }]);
  });
});

describe('the development login code', () => {
  it('is accepted for any phone when AUTH_DEV_OTP is set outside production', async () => {
    const env = await createTestEnvironment({ AUTH_DEV_OTP: '246810' });
    const app = await createTestApp(AppModule.register(env.config), env.config);
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: '13700000001', code: '246810' },
      });
      expect(login.statusCode).toBe(200);
      const wrong = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { phone: '13700000001', code: '135790' },
      });
      expect(wrong.statusCode).toBe(401);
    } finally {
      await app.close();
      await env.dispose();
    }
  });
});
