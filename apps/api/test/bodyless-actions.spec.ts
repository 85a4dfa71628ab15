import { Api, startApi } from './support/api';
import { draftCampaign } from './support/campaigns';
import { applyMerchant } from './support/merchants';

const DEV_OTP = '246801';
const JSON_TYPE = { 'content-type': 'application/json' };

describe('actions without input, called with content-type: application/json and no body', () => {
  let api: Api;
  let admin: string;

  beforeAll(async () => {
    api = await startApi({ AUTH_DEV_OTP: DEV_OTP });
    admin = await api.login('admin');
  });

  afterAll(() => api?.close());

  it('submits and approves a campaign', async () => {
    const { id } = await draftCampaign(api, admin);
    const submitted = await api.call('POST', `/campaigns/${id}/submit`, { token: admin, headers: JSON_TYPE });
    expect([submitted.status, submitted.body.status]).toEqual([200, 'pending_approval']);
    const approved = await api.call('POST', `/campaigns/${id}/approve`, {
      token: await api.login('approver'),
      headers: JSON_TYPE,
    });
    expect([approved.status, approved.body.status]).toEqual([200, 'published']);
  });

  it('approves a merchant', async () => {
    const merchant = await applyMerchant(api);
    const approved = await api.call('POST', `/merchants/${merchant.id}/approve`, { token: admin, headers: JSON_TYPE });
    expect([approved.status, approved.body.status]).toEqual([200, 'approved']);
  });

  it('gives a resident a QR token for a voucher just claimed', async () => {
    const login = await api.call('POST', '/auth/login', { body: { phone: '13700009901', code: DEV_OTP } });
    const verified = await api.call('POST', '/me/identity', {
      token: login.body.accessToken as string,
      body: { name: '张三', idNumber: '11010519491231002X' },
    });
    const resident = verified.body.accessToken as string;
    const rounds = (await api.call('GET', '/rounds')).body as unknown as {
      id: string;
      mode: string;
      offers: { id: string }[];
    }[];
    const round = rounds.find((listed) => listed.mode === 'first_come')!;
    const claimed = await api.call('POST', `/rounds/${round.id}/claims`, {
      token: resident,
      body: { offerId: round.offers[0].id },
    });
    expect(claimed.status).toBe(201);
    const [voucher] = claimed.body.vouchers as { id: string }[];
    const qr = await api.call('POST', `/me/vouchers/${voucher.id}/qr`, { token: resident, headers: JSON_TYPE });
    expect(qr.status).toBe(200);
    expect(qr.body.token).toEqual(expect.any(String));
  });

  it('still refuses a missing body where one is required, naming the fields', async () => {
    const campaign = await api.call('POST', '/campaigns', { token: admin, headers: JSON_TYPE });
    expect([campaign.status, campaign.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((campaign.body.errors as { field: string }[]).map((e) => e.field)).toEqual(
      expect.arrayContaining(['code', 'name', 'budgetFen', 'startsAt', 'endsAt', 'limits']),
    );
    const application = await api.call('POST', '/merchants/applications', { headers: JSON_TYPE });
    expect([application.status, application.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((application.body.errors as { field: string }[]).map((e) => e.field).sort()).toEqual(['admin', 'merchant']);
    const logout = await api.call('POST', '/auth/staff/logout', { headers: JSON_TYPE });
    expect([logout.status, logout.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(logout.body.errors).toEqual([expect.objectContaining({ field: 'refreshToken' })]);
  });

  it('still answers malformed JSON with 400 and a code, changing nothing', async () => {
    const { id } = await draftCampaign(api, admin);
    const malformed = await api.call('POST', `/campaigns/${id}/submit`, {
      token: admin,
      headers: JSON_TYPE,
      body: '{"note":',
    });
    expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect((await api.call('GET', `/campaigns/${id}`, { token: admin })).body.status).toBe('draft');
  });
});
