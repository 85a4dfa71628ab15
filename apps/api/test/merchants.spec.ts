import { Merchant, MerchantStatus, StaffAccount } from '@quan/data';
import { demoLicenceNo } from '@quan/demo';
import { Api, startApi } from './support/api';

let serial = 900000;
const application = (overrides: { county?: string; username?: string; licenceNo?: string; category?: string } = {}) => {
  serial += 1;
  return {
    merchant: {
      name: `测试商户${serial}`,
      licenceNo: overrides.licenceNo ?? demoLicenceNo('610902', serial),
      categoryCode: overrides.category ?? 'catering',
      countyCode: overrides.county ?? 'hanbin',
      address: '汉滨区测试路1号',
      bankName: '安康农村商业银行',
      bankAccountName: '测试商户',
      bankAccountNo: '6217000012345678',
      aboveQuota: true,
    },
    admin: {
      username: overrides.username ?? `applicant-${serial}`,
      displayName: '店长',
      password: 'applicant-password',
    },
  };
};

describe('merchant registry', () => {
  let api: Api;
  let admin: string;
  let hanbin: string;
  let xunyang: string;

  beforeAll(async () => {
    api = await startApi();
    [admin, hanbin, xunyang] = await Promise.all([
      api.login('admin'),
      api.login('hanbin-admin'),
      api.login('xunyang-admin'),
    ]);
  });

  afterAll(() => api?.close());

  const apply = async (overrides = {}) => {
    const body = application(overrides);
    const reply = await api.call('POST', '/merchants/applications', { body });
    expect(reply.status).toBe(201);
    return { id: (reply.body.merchant as { id: string }).id, username: body.admin.username, body };
  };

  it('takes an application without a login, pending review, and its admin can follow it', async () => {
    const { id, username } = await apply();
    const merchantAdmin = await api.login(username, 'applicant-password');
    const own = await api.call('GET', `/merchants/${id}`, { token: merchantAdmin });
    expect(own.body).toMatchObject({ status: 'pending', statusReason: null, aboveQuota: true, countyCode: 'hanbin' });
    const staff = await api.call('GET', `/merchants/${id}/staff`, { token: merchantAdmin });
    expect(staff.body).toEqual([expect.objectContaining({ username, role: 'merchant_admin', merchantId: id })]);
  });

  it.each([
    [
      'a licence number whose check character is wrong',
      { licenceNo: `${demoLicenceNo('610902', 1).slice(0, 17)}0` },
      400,
      'INVALID_LICENCE_NO',
    ],
    ['an unknown category', { category: 'shoes' }, 400, 'UNKNOWN_REFERENCE'],
    ['an unknown county', { county: 'atlantis' }, 400, 'UNKNOWN_REFERENCE'],
    ['a licence number already registered', { licenceNo: demoLicenceNo('610902', 700001) }, 409, 'ALREADY_EXISTS'],
    ['a username already taken', { username: 'admin' }, 409, 'ALREADY_EXISTS'],
  ])('refuses %s, and creates nothing', async (_name, overrides, status, code) => {
    const before = {
      merchants: await api.db.getRepository(Merchant).count(),
      staff: await api.db.getRepository(StaffAccount).count(),
    };
    const reply = await api.call('POST', '/merchants/applications', { body: application(overrides) });
    expect([reply.status, reply.body.code]).toEqual([status, code]);
    expect({
      merchants: await api.db.getRepository(Merchant).count(),
      staff: await api.db.getRepository(StaffAccount).count(),
    }).toEqual(before);
  });

  it('lets the county admin review their county, and hides it from another county', async () => {
    const { id, username } = await apply();
    expect((await api.call('POST', `/merchants/${id}/approve`, { token: xunyang })).status).toBe(404);
    expect((await api.call('GET', `/merchants/${id}`, { token: xunyang })).body.code).toBe('MERCHANT_NOT_FOUND');
    const rejected = await api.call('POST', `/merchants/${id}/reject`, {
      token: hanbin,
      body: { reason: '营业执照模糊' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', statusReason: '营业执照模糊' });
    expect((await api.call('POST', `/merchants/${id}/approve`, { token: hanbin })).body.code).toBe(
      'MERCHANT_INVALID_TRANSITION',
    );

    const merchantAdmin = await api.login(username, 'applicant-password');
    const fixed = application();
    const resubmitted = await api.call('PUT', `/merchants/${id}/application`, {
      token: merchantAdmin,
      body: fixed.merchant,
    });
    expect(resubmitted.body).toMatchObject({
      status: 'pending',
      statusReason: null,
      licenceNo: fixed.merchant.licenceNo,
    });
    expect((await api.call('POST', `/merchants/${id}/approve`, { token: hanbin })).body.status).toBe('approved');
    expect(
      (await api.call('PUT', `/merchants/${id}/application`, { token: merchantAdmin, body: fixed.merchant })).body.code,
    ).toBe('MERCHANT_INVALID_TRANSITION');

    const suspended = await api.call('POST', `/merchants/${id}/suspend`, {
      token: admin,
      body: { reason: '套现嫌疑' },
    });
    expect(suspended.body).toMatchObject({ status: 'suspended', statusReason: '套现嫌疑' });
    expect(
      (await api.call('POST', `/merchants/${id}/suspend`, { token: admin, body: { reason: 'again' } })).status,
    ).toBe(409);
    expect((await api.call('POST', `/merchants/${id}/reinstate`, { token: hanbin })).body).toMatchObject({
      status: 'approved',
      statusReason: null,
    });
    expect((await api.call('POST', `/merchants/${id}/reject`, { token: hanbin, body: {} })).body.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it("lists only the county admin's county, with filters", async () => {
    const all = await api.call('GET', '/merchants?limit=200', { token: hanbin });
    const items = all.body.items as { countyCode: string }[];
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((m) => m.countyCode === 'hanbin')).toBe(true);
    expect((await api.call('GET', '/merchants?countyCode=xunyang', { token: hanbin })).body.total).toBe(0);
    const xunyangForCity = await api.call('GET', '/merchants?countyCode=xunyang&status=approved&limit=5', {
      token: admin,
    });
    expect(xunyangForCity.body.total).toBeGreaterThan(5);
    expect(xunyangForCity.body.items).toHaveLength(5);
    expect((await api.call('GET', '/merchants?limit=0', { token: admin })).body.code).toBe('VALIDATION_FAILED');
    expect((await api.call('GET', '/merchants?aboveQuota=true&limit=200', { token: admin })).body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ aboveQuota: true })]),
    );
  });

  it('lets a merchant admin manage cashiers of their approved merchant only', async () => {
    const a = await apply();
    const b = await apply({ county: 'xunyang' });
    const adminOfA = await api.login(a.username, 'applicant-password');
    const cashier = {
      username: `cashier-${a.id.slice(0, 8)}`,
      displayName: '收银员 小王',
      password: 'cashier-password',
    };
    expect((await api.call('POST', `/merchants/${a.id}/cashiers`, { token: adminOfA, body: cashier })).body.code).toBe(
      'MERCHANT_NOT_APPROVED',
    );
    await api.call('POST', `/merchants/${a.id}/approve`, { token: admin });
    await api.call('POST', `/merchants/${b.id}/approve`, { token: admin });
    const created = await api.call('POST', `/merchants/${a.id}/cashiers`, { token: adminOfA, body: cashier });
    expect(created.body).toMatchObject({ role: 'cashier', merchantId: a.id });
    expect(
      (
        await api.call('POST', `/merchants/${b.id}/cashiers`, {
          token: adminOfA,
          body: { ...cashier, username: 'cashier-b' },
        })
      ).status,
    ).toBe(404);

    const cashierToken = await api.login(cashier.username, 'cashier-password');
    const seen = await api.call('GET', `/merchants/${a.id}`, { token: cashierToken });
    expect(seen.body.bankAccountNo).toBe('************5678');
    expect((await api.call('GET', `/merchants/${b.id}`, { token: cashierToken })).status).toBe(404);

    const disabled = await api.call('PATCH', `/merchants/${a.id}/cashiers/${created.body.id}`, {
      token: adminOfA,
      body: { disabled: true },
    });
    expect(disabled.body.disabled).toBe(true);
    expect(
      (
        await api.call('POST', '/auth/staff/login', {
          body: { username: cashier.username, password: 'cashier-password' },
        })
      ).body.code,
    ).toBe('ACCOUNT_DISABLED');
    expect(
      (
        await api.call('PATCH', `/merchants/${b.id}/cashiers/${created.body.id}`, {
          token: adminOfA,
          body: { disabled: false },
        })
      ).status,
    ).toBe(404);
    const adminAccount = await api.db.getRepository(StaffAccount).findOneByOrFail({ username: a.username });
    expect(
      (
        await api.call('PATCH', `/merchants/${a.id}/cashiers/${adminAccount.id}`, {
          token: adminOfA,
          body: { disabled: true },
        })
      ).body.code,
    ).toBe('STAFF_ACCOUNT_NOT_FOUND');
    expect((await api.db.getRepository(Merchant).findOneByOrFail({ id: a.id })).status).toBe(MerchantStatus.Approved);
  });

  it('answers 404 for a malformed id, never 400 or 500', async () => {
    const reply = await api.call('GET', '/merchants/not-a-uuid', { token: admin });
    expect([reply.status, reply.body.code]).toEqual([404, 'MERCHANT_NOT_FOUND']);
  });
});
