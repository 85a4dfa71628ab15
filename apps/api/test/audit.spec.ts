import { randomUUID } from 'node:crypto';
import { AuditLog, verifyAuditChain } from '@quan/data';
import { anchorAuditChain } from '@quan/platform';
import { Api, startApi } from './support/api';
import { draftCampaign, publishedCampaign } from './support/campaigns';

interface Entry {
  id: string;
  at: string;
  actorId: string | null;
  actorUsername: string | null;
  actorRole: string;
  action: string;
  entityType: string;
  entityId: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  requestId: string | null;
  prevHash: string;
  hash: string;
}

interface Link {
  id: string;
  hash: string;
}

interface Chain {
  genesisHash: string;
  head: Link;
  latestAnchor: { id: string; at: string; anchored: Link } | null;
}

describe('audit log', () => {
  let api: Api;
  let admin: string;
  let approver: string;
  let auditor: string;

  beforeAll(async () => {
    api = await startApi();
    [admin, approver, auditor] = await Promise.all(['admin', 'approver', 'auditor'].map((u) => api.login(u)));
  });

  afterAll(() => api?.close());

  const entries = async (query: string, token = auditor) => {
    const reply = await api.call('GET', `/audit-log?${query}`, { token });
    expect(reply.status).toBe(200);
    return reply.body as unknown as { items: Entry[]; total: number };
  };

  it('records who changed what (with their username and role), before and after, with the request id, for auditors to read', async () => {
    const me = (await api.call('GET', '/auth/staff/me', { token: admin })).body;
    const c = await draftCampaign(api, admin);
    const renamed = await api.call('PATCH', `/campaigns/${c.id}`, {
      token: admin,
      body: { name: '改过的名字' },
      requestId: 'audit-test-rename-1',
    });
    expect(renamed.status).toBe(200);
    const { items } = await entries(`entityType=campaign&entityId=${c.id}`);
    expect(items.map((e) => e.action)).toEqual([
      'campaign.update',
      'campaign.round.create',
      'campaign.voucher_type.create',
      'campaign.create',
    ]);
    const [update] = items;
    expect(update).toMatchObject({
      actorId: me.id,
      actorUsername: 'admin',
      actorRole: 'city_admin',
      requestId: 'audit-test-rename-1',
      after: { name: '改过的名字' },
    });
    expect(update.before).toMatchObject({ name: expect.not.stringMatching('改过的名字'), version: expect.any(Number) });
    expect((update.after as { version: number }).version).toBe((update.before as { version: number }).version + 1);
    expect(items[3].before).toBeNull();
    expect(new Date(update.at).getTime()).toBeGreaterThan(Date.now() - 60000);
  });

  it('lets city admins read too, and nobody else', async () => {
    expect((await api.call('GET', '/audit-log', { token: admin })).status).toBe(200);
    for (const username of ['hanbin-admin', 'finance']) {
      expect((await api.call('GET', '/audit-log', { token: await api.login(username) })).status).toBe(403);
    }
    expect((await api.call('GET', '/audit-log')).status).toBe(401);
  });

  it('pages newest first by limit and offset without gaps or repeats, and filters by actor, action prefix and time', async () => {
    const c = await publishedCampaign(api, admin, approver);
    for (let i = 0; i < 3; i += 1) await api.call('POST', `/campaigns/${c.id}/pause`, { token: admin });
    const all = (await entries(`entityId=${c.id}&limit=200`)).items;
    expect(all.length).toBe(8);
    const seen: string[] = [];
    for (let offset = 0; offset < 8; offset += 3) {
      const page = await entries(`entityId=${c.id}&limit=3&offset=${offset}`);
      expect([page.items.length, page.total]).toEqual([Math.min(3, 8 - offset), 8]);
      seen.push(...page.items.map((e) => e.id));
    }
    expect(seen).toEqual(all.map((e) => e.id));
    expect([...seen].sort((a, b) => Number(b) - Number(a))).toEqual(seen);

    const approverId = (await api.call('GET', '/auth/staff/me', { token: approver })).body.id as string;
    expect((await entries(`actorId=${approverId}&entityId=${c.id}`)).items.map((e) => e.action)).toEqual([
      'campaign.approve',
    ]);
    expect((await entries(`action=campaign.pause&entityId=${c.id}`)).items).toHaveLength(3);
    expect((await entries(`action=campaign.&entityId=${c.id}`)).items).toHaveLength(8);
    const future = new Date(Date.now() + 3600000).toISOString();
    expect((await entries(`from=${encodeURIComponent(future)}`)).items).toHaveLength(0);
    expect((await entries(`to=${encodeURIComponent(future)}&entityId=${c.id}`)).items).toHaveLength(8);
    const unknown = await api.call('GET', '/audit-log?before=1000', { token: auditor });
    expect([unknown.status, unknown.body.code, unknown.body.errors]).toEqual([
      400,
      'VALIDATION_FAILED',
      [{ field: 'before', messages: ['property before should not exist'] }],
    ]);
  });

  it('records a merchant application with the new admin account as its actor', async () => {
    const reply = await api.call('POST', '/merchants/applications', {
      body: {
        merchant: {
          name: '审计测试商户',
          licenceNo: '91350100M000100Y43',
          categoryCode: 'retail',
          countyCode: 'baihe',
          address: '白河县',
          bankName: '银行',
          bankAccountName: '审计',
          bankAccountNo: '62170000123456',
        },
        admin: { username: 'audit-applicant', displayName: '店长', password: 'applicant-password' },
      },
    });
    const { merchant, admin: account } = reply.body as { merchant: { id: string }; admin: { id: string } };
    const { items } = await entries(`entityType=merchant&entityId=${merchant.id}`);
    expect(items).toEqual([
      expect.objectContaining({
        action: 'merchant.apply',
        actorId: account.id,
        actorRole: 'merchant_admin',
        before: null,
        requestId: reply.requestId,
      }),
    ]);
    expect((await entries(`entityType=staff_account&entityId=${account.id}`)).items[0].after).not.toHaveProperty(
      'passwordHash',
    );
  });

  it('records reference data edits by city admins', async () => {
    const created = await api.call('POST', '/counties', {
      token: admin,
      body: { code: 'yuehe', name: '月河新区', kind: 'functional_zone', sortOrder: 20 },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await api.call('POST', '/counties', {
          token: admin,
          body: { code: 'yuehe2', name: '月河新区', kind: 'functional_zone' },
        })
      ).body.code,
    ).toBe('ALREADY_EXISTS');
    expect((await api.call('PATCH', '/counties/yuehe', { token: admin, body: { name: '月河示范区' } })).body).toEqual({
      code: 'yuehe',
      name: '月河示范区',
      kind: 'functional_zone',
    });
    expect((await api.call('PATCH', '/counties/atlantis', { token: admin, body: { name: 'x' } })).body.code).toBe(
      'COUNTY_NOT_FOUND',
    );
    expect((await api.call('GET', '/counties/yuehe')).body.name).toBe('月河示范区');
    expect(
      (await api.call('POST', '/categories', { token: admin, body: { code: 'books', name: '图书' } })).status,
    ).toBe(201);
    expect((await api.call('GET', '/categories/books')).body).toEqual({ code: 'books', name: '图书' });
    const changes = (await entries('entityType=county&entityId=yuehe')).items;
    expect(changes.map((e) => [e.action, e.before?.name ?? null, e.after?.name])).toEqual([
      ['county.update', '月河新区', '月河示范区'],
      ['county.create', null, '月河新区'],
    ]);
  });

  it('cannot be altered, even by a bug: Postgres refuses UPDATE and DELETE', async () => {
    await expect(api.db.query(`UPDATE audit_log SET action = 'forged'`)).rejects.toThrow(/append-only/);
    await expect(api.db.query('DELETE FROM audit_log')).rejects.toThrow(/append-only/);
    expect(await api.db.getRepository(AuditLog).countBy({ action: 'forged' })).toBe(0);
  });

  it('chains what the features wrote into one holding chain, whose head and newest anchor auditors read', async () => {
    const c = await publishedCampaign(api, admin, approver);
    const verified = await verifyAuditChain(api.db);
    expect(verified.broken).toBeNull();
    const [newest] = await api.db.query(
      `SELECT id::text AS id, hash FROM audit_log ORDER BY audit_log.id DESC LIMIT 1`,
    );
    expect(verified.head).toEqual(newest);
    const [shown, previous] = (await entries('limit=2')).items;
    expect(shown).toMatchObject({ id: newest.id, hash: newest.hash, prevHash: previous.hash });
    const chain = async (token = auditor) =>
      (await api.call('GET', '/audit-log/head', { token })).body as unknown as Chain;
    expect(await chain()).toEqual({ genesisHash: '0'.repeat(64), head: newest, latestAnchor: null });

    // The worker's anchor job: the head written into the log; once more with nothing new writes nothing.
    expect(await api.db.transaction(anchorAuditChain)).toEqual({ anchoredId: newest.id, anchoredHash: newest.hash });
    expect(await api.db.transaction(anchorAuditChain)).toBeNull();
    const anchored = await chain(admin);
    expect(anchored.latestAnchor).toEqual({ id: anchored.head.id, at: expect.any(String), anchored: newest });
    expect((await entries(`action=audit.anchor`)).items).toEqual([
      expect.objectContaining({ actorRole: 'system', entityType: 'audit_log', entityId: newest.id }),
    ]);

    await api.call('POST', `/campaigns/${c.id}/pause`, { token: admin });
    expect((await chain()).head.id).not.toBe(anchored.head.id);
    expect((await verifyAuditChain(api.db, [anchored.latestAnchor!.anchored])).broken).toBeNull();
    expect((await api.call('GET', '/audit-log/head', { token: await api.login('finance') })).status).toBe(403);
  });

  it("reads the redemptions' own record as their trail: one merchant's day, who redeemed and who reversed, by username and role", async () => {
    const [cashier] = await api.db.query(
      `SELECT id, username, merchant_id FROM staff_accounts WHERE role = 'cashier' ORDER BY username LIMIT 1`,
    );
    const [shopAdmin] = await api.db.query(
      `SELECT id, username FROM staff_accounts WHERE role = 'merchant_admin' AND merchant_id = $1`,
      [cashier.merchant_id],
    );
    const [kept, reversed] = [randomUUID(), randomUUID()];
    // As the till's commit writes them; the second was reversed by the shop's admin the same day.
    await api.db.query(
      `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id, order_amount_fen, discount_fen,
                                subsidy_fen, merchant_funded_fen, business_day, redeemed_at, idempotency_key, reversed_at, reversed_by_id, reversal_business_day)
       VALUES ($1, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $3, $4, 12800, 2000, 1500, 500, '2026-11-20', '2026-11-20T10:00:00+08:00', 'till-1-0001', NULL, NULL, NULL),
              ($2, gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), gen_random_uuid(), $3, $4, 6000, 1000, 1000, 0, '2026-11-20', '2026-11-20T11:00:00+08:00', 'till-1-0002', '2026-11-20T12:00:00+08:00', $5, '2026-11-20')`,
      [kept, reversed, cashier.merchant_id, cashier.id, shopAdmin.id],
    );
    const trail = async (query: string, token = auditor) =>
      api.call('GET', `/audit-log/redemptions?merchantId=${cashier.merchant_id}&${query}`, { token });
    const by = { id: cashier.id, username: cashier.username, role: 'cashier' };

    expect((await trail('businessDay=2026-11-20')).body).toEqual({
      items: [
        expect.objectContaining({
          redemptionId: reversed,
          redeemedAt: '2026-11-20T03:00:00.000Z',
          by,
          orderAmountFen: 6000,
          subsidyFen: 1000,
          idempotencyKey: 'till-1-0002',
          reversal: {
            at: '2026-11-20T04:00:00.000Z',
            by: { id: shopAdmin.id, username: shopAdmin.username, role: 'merchant_admin' },
            businessDay: '2026-11-20',
          },
        }),
        expect.objectContaining({
          redemptionId: kept,
          by,
          orderAmountFen: 12800,
          discountFen: 2000,
          subsidyFen: 1500,
          merchantFundedFen: 500,
          reversal: null,
        }),
      ],
      total: 2,
      limit: 50,
      offset: 0,
    });
    expect((await trail('businessDay=2026-11-20&limit=1&offset=1', admin)).body).toMatchObject({
      items: [{ redemptionId: kept }],
      total: 2,
    });
    expect((await trail('businessDay=2026-11-21')).body).toMatchObject({ items: [], total: 0 });
    for (const query of ['', 'businessDay=2026-11-31', 'businessDay=2026-11-20&cashierId=x']) {
      expect({ query, code: (await trail(query)).body.code }).toEqual({ query, code: 'VALIDATION_FAILED' });
    }
    expect((await trail('businessDay=2026-11-20', await api.login('finance'))).status).toBe(403);
  });
});
