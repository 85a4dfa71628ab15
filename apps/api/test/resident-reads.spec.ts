import { randomUUID } from 'node:crypto';
import { bankAccountColumns, FieldCipher } from '@quan/data';
import { createClaimFixture, createRedemptionFixture, FixtureVoucher } from '@quan/testing';
import { Api, Reply, startApi } from './support/api';

type Round = {
  id: string;
  status: string;
  opensAt: string;
  offers: { stock: number; remaining: number; vouchers: Record<string, unknown>[] }[];
};
type Voucher = {
  id: string;
  status: string;
  campaignName: string;
  validUntil: string;
  history?: Record<string, unknown>[];
} & Record<string, unknown>;
type Listing = Record<string, unknown> & { name: string };

describe('what residents read: rounds, their vouchers, where to spend (real Postgres and Redis)', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api?.close());

  const get = (url: string, token?: string): Promise<Reply> => api.call('GET', url, { token });
  const ids = (reply: Reply) => (reply.body as unknown as { id: string }[]).map((item) => item.id);

  it("lists open rounds by default, upcoming ones within 7 days when asked, with each voucher's rules, and refuses unknown statuses", async () => {
    const open = await createClaimFixture(api.db, api.env.config, { stock: 7, residents: 1 });
    const upcoming = await createClaimFixture(api.db, api.env.config, {
      stock: 5,
      residents: 0,
      opensInMs: 3600_000,
      closesInMs: 7200_000,
    });
    const beyond = await createClaimFixture(api.db, api.env.config, {
      stock: 5,
      residents: 0,
      opensInMs: 8 * 86400_000,
      closesInMs: 9 * 86400_000,
    });
    const closed = await createClaimFixture(api.db, api.env.config, {
      stock: 5,
      residents: 0,
      opensInMs: -7200_000,
      closesInMs: -60_000,
    });
    // One type usable in 餐饮 only and valid 7 days from the claim, the other anywhere within a fixed window.
    const validFrom = new Date(Date.now() - 86400_000);
    const validUntil = new Date(Date.now() + 20 * 86400_000);
    await api.db.query(
      `UPDATE voucher_types SET category_codes = '{catering}' WHERE campaign_id = $1 AND kind = 'threshold'`,
      [open.campaignId],
    );
    await api.db.query(
      `UPDATE voucher_types SET validity_kind = 'fixed_window', valid_days = NULL, valid_from = $2, valid_until = $3 WHERE campaign_id = $1 AND kind = 'fixed'`,
      [open.campaignId, validFrom, validUntil],
    );
    const all = [
      open.roundId,
      open.second.roundId,
      upcoming.roundId,
      upcoming.second.roundId,
      beyond.roundId,
      closed.roundId,
    ];
    const mine = (reply: Reply) =>
      ids(reply)
        .filter((id) => all.includes(id))
        .sort();
    // The catalog refreshes its snapshot every 2 s: wait until it holds the new rounds.
    const deadline = Date.now() + 10_000;
    while (mine(await get('/rounds?status=open,upcoming')).length < 4 && Date.now() < deadline)
      await new Promise((resolve) => setTimeout(resolve, 200));

    const byDefault = await get('/rounds');
    expect(byDefault.status).toBe(200);
    expect(byDefault.headers['cache-control']).toBe('public, max-age=2');
    expect(mine(byDefault)).toEqual([open.roundId, open.second.roundId].sort());
    expect((byDefault.body as unknown as Round[]).every((round) => round.status === 'open')).toBe(true);
    expect(mine(await get('/rounds?status=open'))).toEqual(mine(byDefault));
    const soon = await get('/rounds?status=upcoming');
    expect(mine(soon)).toEqual([upcoming.roundId, upcoming.second.roundId].sort());
    expect(
      (soon.body as unknown as Round[]).every(
        (round) => round.status === 'upcoming' && Date.parse(round.opensAt) > Date.now(),
      ),
    ).toBe(true);
    const both = [open.roundId, open.second.roundId, upcoming.roundId, upcoming.second.roundId].sort();
    expect(mine(await get('/rounds?status=open,upcoming'))).toEqual(both);
    expect(mine(await get('/rounds?status=upcoming&status=open'))).toEqual(both);

    const round = (byDefault.body as unknown as Round[]).find((r) => r.id === open.roundId)!;
    expect(round).toMatchObject({
      campaignId: open.campaignId,
      campaignName: '测试消费券',
      mode: 'first_come',
      status: 'open',
    });
    expect(round.offers).toEqual([expect.objectContaining({ id: open.offerId, stock: 7, remaining: 7 })]);
    const byName = Object.fromEntries(round.offers[0].vouchers.map((v) => [v.name, v]));
    expect(byName['满50减10']).toEqual({
      voucherTypeId: expect.any(String),
      name: '满50减10',
      quantity: 1,
      kind: 'threshold',
      thresholdFen: 5000,
      discountFen: 1000,
      percentOff: null,
      capFen: null,
      categories: [{ code: 'catering', name: '餐饮' }],
      validity: { kind: 'days_from_claim', days: 7, validFrom: null, validUntil: null },
    });
    expect(byName['直减5']).toMatchObject({
      kind: 'fixed',
      thresholdFen: 0,
      discountFen: 500,
      categories: [],
      validity: {
        kind: 'fixed_window',
        days: null,
        validFrom: validFrom.toISOString(),
        validUntil: validUntil.toISOString(),
      },
    });

    // The claim answers its vouchers with the same rules as the listing and the wallet.
    const [resident] = open.residents;
    const claimed = await api.call('POST', `/rounds/${open.roundId}/claims`, {
      token: resident.token,
      body: { offerId: open.offerId },
    });
    expect(claimed.status).toBe(201);
    const answered = claimed.body.vouchers as Voucher[];
    const wallet = (await get('/me/vouchers', resident.token)).body as unknown as Voucher[];
    const byId = (vouchers: Voucher[]) => [...vouchers].sort((a, b) => a.id.localeCompare(b.id));
    expect(byId(answered)).toEqual(byId(wallet));
    for (const voucher of answered) {
      const { voucherTypeId: _type, name: _name, quantity: _quantity, ...rules } = byName[voucher.name as string];
      expect(voucher).toMatchObject({ ...rules, campaignName: '测试消费券', status: 'claimed' });
    }

    for (const query of ['status=closed', 'status=open,soon', 'status=', 'state=open']) {
      const refused = await get(`/rounds?${query}`);
      expect([query, refused.status, refused.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
    }
  });

  describe("a resident's vouchers", () => {
    const redeem = (cashier: string, voucher: FixtureVoucher, orderAmountFen: number) =>
      api.call('POST', '/merchant/redemptions', {
        token: cashier,
        body: { code: voucher.shortCode, orderAmountFen },
        headers: { 'idempotency-key': randomUUID() },
      });

    it('filters by status (a claimed voucher past its validity counts as expired), refusing unknown statuses', async () => {
      const fixture = await createRedemptionFixture(api.db, api.env.config, { residents: 1, merchants: 1 });
      const [threshold, fixed] = fixture.vouchers;
      const token = threshold.residentToken;
      expect((await redeem(fixture.merchants[0].cashierTokens[0], fixed, 1000)).status).toBe(201);
      const statuses = async (query: string) =>
        Object.fromEntries(
          ((await get(`/me/vouchers${query}`, token)).body as unknown as Voucher[]).map((v) => [v.id, v.status]),
        );

      expect(await statuses('')).toEqual({ [threshold.id]: 'claimed', [fixed.id]: 'redeemed' });
      expect(await statuses('?status=claimed')).toEqual({ [threshold.id]: 'claimed' });
      expect(await statuses('?status=redeemed')).toEqual({ [fixed.id]: 'redeemed' });
      expect(await statuses('?status=claimed,redeemed')).toEqual({ [threshold.id]: 'claimed', [fixed.id]: 'redeemed' });
      expect(await statuses('?status=revoked')).toEqual({});

      const [listed] = (await get('/me/vouchers?status=claimed', token)).body as unknown as Voucher[];
      expect(listed).toMatchObject({
        id: threshold.id,
        shortCode: threshold.shortCode,
        campaignId: fixture.campaignId,
        campaignName: '测试消费券',
        name: '满50减10',
        kind: 'threshold',
        thresholdFen: 5000,
        discountFen: 1000,
        categories: [],
        validity: { kind: 'days_from_claim', days: 7 },
        validFrom: expect.any(String),
        validUntil: expect.any(String),
        claimedAt: expect.any(String),
      });

      // Past its validity, before the expiry job has marked it: expired to the resident.
      await api.db.query(
        `UPDATE vouchers SET valid_from = now() - interval '2 days', valid_until = now() - interval '1 minute' WHERE id = $1`,
        [threshold.id],
      );
      expect(await statuses('?status=claimed')).toEqual({});
      expect(await statuses('?status=expired')).toEqual({ [threshold.id]: 'expired' });

      for (const query of ['?status=used', '?status=claimed,', '?status=', '?page=2']) {
        const refused = await get(`/me/vouchers${query}`, token);
        expect([query, refused.status, refused.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
    });

    it('shows one voucher with its rules and history (redeemed where and for how much, reversed, redeemed again), to its owner only', async () => {
      const fixture = await createRedemptionFixture(api.db, api.env.config, { residents: 2, merchants: 1 });
      const [voucher, , othersVoucher] = fixture.vouchers;
      const {
        cashierTokens: [cashier],
        adminToken,
      } = fixture.merchants[0];
      const first = await redeem(cashier, voucher, 8000);
      expect(first.status).toBe(201);
      expect(
        (await api.call('POST', `/merchant/redemptions/${first.body.id}/reversal`, { token: adminToken, body: {} }))
          .status,
      ).toBe(200);
      const second = await redeem(cashier, voucher, 12800);
      expect(second.status).toBe(201);

      const detail = await get(`/me/vouchers/${voucher.id}`, voucher.residentToken);
      expect(detail.status).toBe(200);
      const shown = detail.body as unknown as Voucher;
      expect(shown).toMatchObject({
        id: voucher.id,
        status: 'redeemed',
        shortCode: voucher.shortCode,
        campaignName: '测试消费券',
        kind: 'threshold',
        thresholdFen: 5000,
        discountFen: 1000,
      });
      const [reversal] = await api.db.query(`SELECT reversed_at FROM redemptions WHERE id = $1`, [first.body.id]);
      const redemption = (body: Reply['body'], orderAmountFen: number) => ({
        redemptionId: body.id,
        merchantName: '测试商户',
        orderAmountFen,
        discountFen: 1000,
      });
      expect(shown.history).toEqual([
        {
          kind: 'claimed',
          at: shown.claimedAt,
          redemptionId: null,
          merchantName: null,
          orderAmountFen: null,
          discountFen: null,
        },
        { kind: 'redeemed', at: first.body.redeemedAt, ...redemption(first.body, 8000) },
        { kind: 'reversed', at: (reversal.reversed_at as Date).toISOString(), ...redemption(first.body, 8000) },
        { kind: 'redeemed', at: second.body.redeemedAt, ...redemption(second.body, 12800) },
      ]);

      // Another resident's voucher is as unknown as a voucher that does not exist; a malformed id is bad input.
      const notMine = await get(`/me/vouchers/${othersVoucher.id}`, voucher.residentToken);
      expect([notMine.status, notMine.body.code]).toEqual([404, 'VOUCHER_NOT_FOUND']);
      const missing = await get(`/me/vouchers/${randomUUID()}`, voucher.residentToken);
      expect([missing.status, missing.body.code]).toEqual([404, 'VOUCHER_NOT_FOUND']);
      const malformed = await get('/me/vouchers/not-a-uuid', voucher.residentToken);
      expect([malformed.status, malformed.body.code]).toEqual([400, 'VALIDATION_FAILED']);

      await api.db.query(
        `UPDATE vouchers SET valid_from = now() - interval '2 days', valid_until = now() - interval '1 hour' WHERE id = $1`,
        [othersVoucher.id],
      );
      const expired = (await get(`/me/vouchers/${othersVoucher.id}`, othersVoucher.residentToken))
        .body as unknown as Voucher;
      expect(expired.status).toBe('expired');
      expect(expired.history!.map((event) => [event.kind, event.at])).toEqual([
        ['claimed', expired.claimedAt],
        ['expired', expired.validUntil],
      ]);
    });
  });

  describe('the merchant directory', () => {
    const LICENCE = (n: number) => `91610902MDR00${String(n).padStart(5, '0')}`;
    beforeAll(async () => {
      const account = bankAccountColumns(FieldCipher.fromConfig(api.env.config), '6222000000001234');
      const merchants: [string, string, string, string, boolean][] = [
        ['QDir甲酒家', 'hanbin', 'catering', 'approved', true],
        ['qdir乙超市', 'xunyang', 'retail', 'approved', false],
        ['QDIR 100%_面馆', 'hanbin', 'catering', 'approved', false],
        ['QDir丙火锅店', 'hanbin', 'catering', 'suspended', false],
        ['QDir丁农家乐', 'hanbin', 'catering', 'pending', false],
        ['QDir戊蒸面馆', 'hanbin', 'catering', 'rejected', false],
      ];
      for (const [n, [name, county, category, status, aboveQuota]] of merchants.entries()) {
        await api.db.query(
          `INSERT INTO merchants (name, licence_no, category_code, county_code, address, bank_name, bank_account_name, bank_account_sealed, bank_account_masked, status, above_quota)
           VALUES ($1, $2, $3, $4, '汉滨区目录路1号', '测试银行', '张三', $7, $8, $5, $6)`,
          [
            name,
            LICENCE(n),
            category,
            county,
            status,
            aboveQuota,
            account.bankAccountSealed,
            account.bankAccountMasked,
          ],
        );
      }
    });

    const names = (reply: Reply) => (reply.body.items as Listing[]).map((item) => item.name);

    it('lists approved merchants only, by county, category and name (any case, wildcards literal), without a login, and shows nothing personal or financial', async () => {
      const all = await get('/merchant-directory?name=qdir');
      expect(all.status).toBe(200);
      expect(all.headers['cache-control']).toBe('public, max-age=60');
      expect([...names(all)].sort()).toEqual(['QDIR 100%_面馆', 'QDir甲酒家', 'qdir乙超市'].sort());
      expect(all.body).toMatchObject({ total: 3, limit: 50, offset: 0 });
      const first = (all.body.items as Listing[]).find((item) => item.name === 'QDir甲酒家')!;
      expect(first).toEqual({
        id: expect.any(String),
        name: 'QDir甲酒家',
        countyCode: 'hanbin',
        countyName: '汉滨区',
        categoryCode: 'catering',
        categoryName: '餐饮',
        address: '汉滨区目录路1号',
        aboveQuota: true,
      });

      expect(names(await get('/merchant-directory?name=QDIR&countyCode=hanbin')).sort()).toEqual(
        ['QDIR 100%_面馆', 'QDir甲酒家'].sort(),
      );
      expect(names(await get('/merchant-directory?name=qdir&categoryCode=retail'))).toEqual(['qdir乙超市']);
      expect(names(await get('/merchant-directory?name=qdir&countyCode=xunyang&categoryCode=catering'))).toEqual([]);
      expect(names(await get(`/merchant-directory?name=${encodeURIComponent('%')}`))).toEqual(['QDIR 100%_面馆']);
      expect(names(await get(`/merchant-directory?name=${encodeURIComponent('0%_')}`))).toEqual(['QDIR 100%_面馆']);
      expect(names(await get('/merchant-directory?name=_'))).toEqual(['QDIR 100%_面馆']);
      // Every listed merchant of the demo city is approved.
      const listed = (await get('/merchant-directory?limit=200')).body.items as Listing[];
      const [{ approved }] = await api.db.query(
        `SELECT count(*)::int AS approved FROM merchants WHERE status = 'approved' AND id = ANY ($1::uuid[])`,
        [listed.map((m) => m.id)],
      );
      expect(approved).toBe(listed.length);
    });

    it('pages in a stable order by name, and refuses unknown or malformed parameters', async () => {
      const page1 = await get('/merchant-directory?name=qdir&limit=2');
      const page2 = await get('/merchant-directory?name=qdir&limit=2&offset=2');
      expect([page1.body.total, page1.body.limit, page1.body.offset, names(page1).length]).toEqual([3, 2, 0, 2]);
      expect([page2.body.total, page2.body.limit, page2.body.offset, names(page2).length]).toEqual([3, 2, 2, 1]);
      const whole = names(await get('/merchant-directory?name=qdir'));
      expect([...names(page1), ...names(page2)]).toEqual(whole);

      for (const query of [
        'county=hanbin',
        'voucherId=x',
        'limit=0',
        'limit=201',
        'offset=-1',
        'limit=ten',
        `name=${'x'.repeat(51)}`,
        'name=',
        'q=qdir',
      ]) {
        const refused = await get(`/merchant-directory?${query}`);
        expect([query, refused.status, refused.body.code]).toEqual([query, 400, 'VALIDATION_FAILED']);
      }
    });
  });
});
