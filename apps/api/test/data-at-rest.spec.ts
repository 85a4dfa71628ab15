import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { createDataSource, FieldCipher, resealData } from '@quan/data';
import { demoLicenceNo } from '@quan/demo';
import { createTestEnvironment, startCompiledService, StartedService, TestEnvironment } from '@quan/testing';
import { Api, startApi } from './support/api';
import { tablesContaining } from './support/raw-tables';

describe("merchants' bank accounts and contact phones at rest", () => {
  let api: Api;
  const accountNo = '6217009988776655';
  const phone = '13912340099';
  let merchantId: string;

  beforeAll(async () => {
    api = await startApi();
    const applied = await api.call('POST', '/merchants/applications', {
      body: {
        merchant: {
          name: '密封测试商户',
          licenceNo: demoLicenceNo('610902', 990001),
          categoryCode: 'catering',
          countyCode: 'hanbin',
          address: '汉滨区测试路9号',
          bankName: '安康农村商业银行',
          bankAccountName: '密封测试',
          bankAccountNo: accountNo,
          contactPhone: `+86 ${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
        },
        admin: { username: 'sealed-admin', displayName: '店长', password: 'applicant-password' },
      },
    });
    expect(applied.status).toBe(201);
    merchantId = (applied.body.merchant as { id: string }).id;
  });

  afterAll(() => api?.close());

  it('shows them masked to every reader, the applicant and the bureau alike', async () => {
    const masked = { bankAccountNo: '************6655', contactPhone: '139****0099' };
    for (const username of ['sealed-admin', 'admin', 'hanbin-admin', 'finance', 'auditor']) {
      const token = await api.login(username, username === 'sealed-admin' ? 'applicant-password' : undefined);
      expect((await api.call('GET', `/merchants/${merchantId}`, { token })).body).toMatchObject(masked);
    }
  });

  it('leaves no clear account number or phone in any column of any table, the audit log included', async () => {
    expect(await tablesContaining(api.db, [accountNo, phone])).toEqual([]);
    const [row] = await api.db.query(`SELECT bank_account_sealed, contact_phone_sealed FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    const cipher = FieldCipher.fromConfig(api.env.config);
    expect(row.bank_account_sealed).toMatch(/^v1:dev1:[^:]+:[^:]+:[^:]+$/);
    expect(cipher.open('merchants.bank_account', row.bank_account_sealed)).toBe(accountNo);
    expect(cipher.open('merchants.contact_phone', row.contact_phone_sealed)).toBe(phone);
    // Bound to its column: an account number copied into the phone column does not open.
    expect(() => cipher.open('merchants.contact_phone', row.bank_account_sealed)).toThrow();
    const [{ clear }] = await api.db.query(
      `SELECT count(*)::int AS clear FROM merchants WHERE bank_account_sealed NOT LIKE 'v1:%' OR contact_phone_sealed NOT LIKE 'v1:%'`,
    );
    expect(clear).toBe(0);
  });

  it('seals values left in clear by an older version, and re-seals every value with a new key', async () => {
    const old = FieldCipher.fromConfig(api.env.config);
    await api.db.query(`UPDATE merchants SET bank_account_sealed = $2 WHERE id = $1`, [merchantId, accountNo]);
    expect(await resealData(api.db, old, 'clear')).toBe(1);
    const [{ sealed }] = await api.db.query(`SELECT bank_account_sealed AS sealed FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    expect(old.open('merchants.bank_account', sealed)).toBe(accountNo);

    const rotated = FieldCipher.fromConfig({
      DATA_KEYS: `${api.env.config.DATA_KEYS},k2:${randomBytes(32).toString('base64')}`,
      DATA_KEY_CURRENT: 'k2',
    });
    const [{ values }] = await api.db.query(
      `SELECT (count(bank_account_sealed) + count(contact_phone_sealed))::int AS values FROM merchants`,
    );
    expect(await resealData(api.db, rotated, 'rekey')).toBe(values);
    expect(await resealData(api.db, rotated, 'rekey')).toBe(0);
    const [row] = await api.db.query(`SELECT bank_account_sealed, contact_phone_sealed FROM merchants WHERE id = $1`, [
      merchantId,
    ]);
    expect([FieldCipher.keyIdOf(row.bank_account_sealed), FieldCipher.keyIdOf(row.contact_phone_sealed)]).toEqual([
      'k2',
      'k2',
    ]);
    expect(rotated.open('merchants.bank_account', row.bank_account_sealed)).toBe(accountNo);
    expect(rotated.open('merchants.contact_phone', row.contact_phone_sealed)).toBe(phone);
    expect(() => old.open('merchants.bank_account', row.bank_account_sealed)).toThrow(/data key k2 is not configured/);
  });
});

describe("residents' phone and ID numbers", () => {
  let env: TestEnvironment;
  let db: DataSource;
  let api: StartedService;
  const phones = ['13700000101', '13700000102', '13700000103'];
  const idNumber = '110101199003070011';
  const otherIdNumber = '11010519491231002X';
  const wrongCheck = '110101199003070012';

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
    api = await startCompiledService('apps/api/src/main.js', 'PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'trace',
    });
  });

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await api?.exited;
    await db?.destroy();
    await env?.dispose();
  });

  it('appear nowhere in clear: not in any table, not in the log of a login and identity flow, not in error bodies', async () => {
    const errorBodies: string[] = [];
    const post = async (path: string, body: object, token?: string) => {
      const response = await fetch(`${api.url}/api/v1${path}`, {
        method: 'POST',
        body: JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      });
      const text = await response.text();
      if (response.status >= 400) errorBodies.push(text);
      return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
    };
    // The development SMS sender logs the code (with the phone masked): read it back from the log.
    const loginCodes = () =>
      api
        .output()
        .split('\n')
        .filter((line) => line.includes('"loginCode"'))
        .map((line) => (JSON.parse(line) as { loginCode: string }).loginCode);
    const login = async (phone: string) => {
      const sent = loginCodes().length;
      expect((await post('/auth/otp', { phone })).status).toBe(202);
      expect((await post('/auth/otp', { phone, extra: phone })).status).toBe(400);
      const code = loginCodes()[sent];
      expect((await post('/auth/login', { phone, code: code === '000000' ? '111111' : '000000' })).status).toBe(401);
      const reply = await post('/auth/login', { phone, code });
      expect(reply.status).toBe(200);
      return reply.body.accessToken as string;
    };

    const [first, second, third] = [await login(phones[0]), await login(phones[1]), await login(phones[2])];
    expect((await post('/me/identity', { name: '周九', idNumber: wrongCheck }, first)).status).toBe(400);
    expect((await post('/me/identity', { name: '周'.repeat(41), idNumber }, first)).status).toBe(400);
    expect((await post('/me/identity', { name: '周九', idNumber }, first)).status).toBe(200);
    expect((await post('/me/identity', { name: '周九', idNumber }, second)).body).toMatchObject({
      identityShared: true,
    });
    expect((await post('/me/identity', { name: '周九', idNumber }, third)).status).toBe(409);
    expect((await post('/me/identity', { name: '吴十', idNumber: otherIdNumber }, first)).status).toBe(409);
    expect((await fetch(`${api.url}/api/v1/me`, { headers: { authorization: `Bearer ${first}` } })).status).toBe(200);

    // The ID numbers without their check character, so lower and upper case X alike are caught.
    const needles = [...phones, idNumber.slice(0, 17), otherIdNumber.slice(0, 17), wrongCheck.slice(0, 17)];
    const log = api.output();
    expect(log).toContain('"loginCode"');
    expect(log).toContain('/api/v1/me/identity');
    expect(needles.filter((needle) => log.includes(needle))).toEqual([]);
    expect(errorBodies).toHaveLength(10);
    expect(needles.filter((needle) => errorBodies.some((body) => body.includes(needle)))).toEqual([]);
    expect(await tablesContaining(db, needles)).toEqual([]);
    expect(await db.query(`SELECT count(*)::int AS residents FROM residents`)).toEqual([{ residents: 3 }]);
  });
});
