import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { CampaignClock } from '@quan/campaigns';
import { roundKey } from '@quan/counters';
import { AuditLog, Merchant } from '@quan/data';
import { Api, startApi } from './support/api';
import {
  CAMPAIGN_ENDS,
  CAMPAIGN_STARTS,
  day,
  DraftIds,
  draftCampaign,
  firstComeRound,
  newCampaign,
  publishedCampaign,
  thresholdVoucher,
} from './support/campaigns';

describe('campaign configuration, approval and lifecycle', () => {
  let api: Api;
  let redis: Redis;
  let admin: string;
  let approver: string;
  let hanbin: string;
  let xunyang: string;

  beforeAll(async () => {
    api = await startApi();
    redis = new Redis(api.env.config.REDIS_URL);
    [admin, approver, hanbin, xunyang] = await Promise.all(
      ['admin', 'approver', 'hanbin-admin', 'xunyang-admin'].map((u) => api.login(u)),
    );
  });

  afterAll(async () => {
    redis?.disconnect();
    await api?.close();
  });

  const get = async (id: string, token = admin) => (await api.call('GET', `/campaigns/${id}`, { token })).body;
  const counters = (campaignId: string, roundId: string) =>
    redis.hgetall(roundKey(api.env.config.REDIS_KEY_PREFIX, campaignId, roundId));

  describe('every configuration rule answers 400 with its code and changes nothing', () => {
    let draft: DraftIds;
    let merchantId: string;

    beforeAll(async () => {
      draft = await draftCampaign(api, admin);
      merchantId = (await api.db.getRepository(Merchant).findOneByOrFail({ countyCode: 'hanbin' })).id;
    });

    const round = (overrides: Record<string, unknown>) =>
      firstComeRound(draft.voucherTypeId, {
        name: '另一场',
        opensAt: day(20, 10),
        closesAt: day(21, 10),
        ...overrides,
      });
    const cases: [string, 'PATCH' | 'POST', string, () => Record<string, unknown>, string][] = [
      [
        'a campaign that ends when it starts',
        'PATCH',
        '',
        () => ({ endsAt: CAMPAIGN_STARTS }),
        'CAMPAIGN_WINDOW_INVALID',
      ],
      ['a time without its offset', 'PATCH', '', () => ({ endsAt: '2030-01-01T10:00:00' }), 'VALIDATION_FAILED'],
      ['fen that are not whole', 'PATCH', '', () => ({ budgetFen: 100.5 }), 'VALIDATION_FAILED'],
      ['fen beyond 2^53', 'PATCH', '', () => ({ budgetFen: 1e20 }), 'VALIDATION_FAILED'],
      ['a date that does not exist', 'PATCH', '', () => ({ endsAt: '2030-02-30T10:00:00+08:00' }), 'VALIDATION_FAILED'],
      [
        'a merchant daily limit beyond a Postgres integer',
        'PATCH',
        '',
        () => ({ limits: { perPerson: 2, merchantDailyRedemptions: 3_000_000_000 } }),
        'VALIDATION_FAILED',
      ],
      [
        'a per-round limit above the campaign limit',
        'PATCH',
        '',
        () => ({ limits: { perPerson: 1, perPersonPerRound: 2 } }),
        'LIMITS_INCONSISTENT',
      ],
      [
        'a per-day limit above the campaign limit',
        'PATCH',
        '',
        () => ({ limits: { perPerson: 1, perPersonPerDay: 3 } }),
        'LIMITS_INCONSISTENT',
      ],
      [
        'a per-category limit above the campaign limit',
        'PATCH',
        '',
        () => ({ limits: { perPerson: 1, perPersonPerCategory: { automobile: 2 } } }),
        'LIMITS_INCONSISTENT',
      ],
      ['an unknown category', 'PATCH', '', () => ({ eligibility: { categoryCodes: ['shoes'] } }), 'UNKNOWN_REFERENCE'],
      [
        'a county campaign admitting another county',
        'PATCH',
        '',
        () => ({ scopeCountyCode: 'hanbin', eligibility: { countyCodes: ['xunyang'] } }),
        'ELIGIBILITY_OUTSIDE_SCOPE',
      ],
      [
        'a merchant both allowed and denied',
        'PATCH',
        '',
        () => ({ eligibility: { allowMerchantIds: [merchantId], denyMerchantIds: [merchantId] } }),
        'ELIGIBILITY_CONFLICT',
      ],
      [
        'eligible categories the voucher type does not name',
        'PATCH',
        '',
        () => ({ eligibility: { categoryCodes: ['retail'] } }),
        'VOUCHER_CATEGORY_NOT_ELIGIBLE',
      ],
      [
        'a budget below the worst-case subsidy of all stock',
        'PATCH',
        '',
        () => ({ budgetFen: 1_999_999 }),
        'BUDGET_EXCEEDED',
      ],
      [
        'a 满减 threshold not above its discount',
        'POST',
        '/voucher-types',
        () => thresholdVoucher({ thresholdFen: 2000 }),
        'THRESHOLD_NOT_ABOVE_DISCOUNT',
      ],
      [
        'a 直减 with a threshold',
        'POST',
        '/voucher-types',
        () => thresholdVoucher({ kind: 'fixed' }),
        'DISCOUNT_RULE_INVALID',
      ],
      [
        'a 折扣 of 100%',
        'POST',
        '/voucher-types',
        () =>
          thresholdVoucher({ kind: 'percentage', thresholdFen: 0, discountFen: null, percentOff: 100, capFen: 5000 }),
        'PERCENT_OFF_OUT_OF_RANGE',
      ],
      [
        'a 折扣 without a cap',
        'POST',
        '/voucher-types',
        () => thresholdVoucher({ kind: 'percentage', thresholdFen: 0, discountFen: null, percentOff: 15 }),
        'PERCENT_CAP_REQUIRED',
      ],
      [
        'a bureau share above 100%',
        'POST',
        '/voucher-types',
        () => thresholdVoucher({ bureauShareBp: 10001 }),
        'SUBSIDY_SHARE_INVALID',
      ],
      ['a validity of 0 days', 'POST', '/voucher-types', () => thresholdVoucher({ validDays: 0 }), 'VALIDITY_INVALID'],
      [
        'a fixed validity beyond the campaign',
        'POST',
        '/voucher-types',
        () =>
          thresholdVoucher({
            validityKind: 'fixed_window',
            validDays: null,
            validFrom: CAMPAIGN_STARTS,
            validUntil: day(41),
          }),
        'VALIDITY_OUTSIDE_CAMPAIGN',
      ],
      [
        'a round that closes before it opens',
        'POST',
        '/rounds',
        () => round({ closesAt: day(19) }),
        'ROUND_WINDOW_INVALID',
      ],
      ['a round before the campaign', 'POST', '/rounds', () => round({ opensAt: day(9) }), 'ROUND_OUTSIDE_CAMPAIGN'],
      [
        'a round overlapping another of the same voucher type',
        'POST',
        '/rounds',
        () => round({ opensAt: day(12), closesAt: day(13) }),
        'ROUNDS_OVERLAP',
      ],
      ['a lottery round without a draw', 'POST', '/rounds', () => round({ mode: 'lottery' }), 'LOTTERY_DRAW_INVALID'],
      [
        'an offer without vouchers',
        'POST',
        '/rounds',
        () => round({ offers: [{ name: '空', stock: 10, items: [] }] }),
        'OFFER_INVALID',
      ],
      [
        "an offer of another campaign's voucher type",
        'POST',
        '/rounds',
        () => round({ offers: [{ name: '外', stock: 10, items: [{ voucherTypeId: randomUUID(), quantity: 1 }] }] }),
        'UNKNOWN_REFERENCE',
      ],
      [
        'a roll-forward into an earlier round',
        'POST',
        '/rounds',
        () => round({ rollForwardToRoundId: draft.roundId }),
        'ROLL_FORWARD_INVALID',
      ],
      [
        'stock beyond the budget',
        'POST',
        '/rounds',
        () =>
          round({
            offers: [{ name: '多', stock: 1501, items: [{ voucherTypeId: draft.voucherTypeId, quantity: 1 }] }],
          }),
        'BUDGET_EXCEEDED',
      ],
    ];

    it.each(cases)('%s', async (_name, method, path, body, code) => {
      const before = await get(draft.id);
      const audits = await api.db.getRepository(AuditLog).count();
      const reply = await api.call(method, `/campaigns/${draft.id}${path}`, { token: admin, body: body() });
      expect([reply.status, reply.body.code]).toEqual([400, code]);
      expect(await get(draft.id)).toEqual(before);
      expect(await api.db.getRepository(AuditLog).count()).toBe(audits);
    });

    it('accepts a budget below the worst case when the campaign issues beyond its budget (超发)', async () => {
      const beyond = await draftCampaign(api, admin);
      const reply = await api.call('PATCH', `/campaigns/${beyond.id}`, {
        token: admin,
        body: { budgetFen: 1_999_999, issueBeyondBudget: true },
      });
      expect(reply.status).toBe(200);
      expect(reply.body).toMatchObject({
        budgetFen: 1_999_999,
        issueBeyondBudget: true,
        worstCaseSubsidyFen: 2_000_000,
      });
      const back = await api.call('PATCH', `/campaigns/${beyond.id}`, {
        token: admin,
        body: { issueBeyondBudget: false },
      });
      expect([back.status, back.body.code]).toEqual([400, 'BUDGET_EXCEEDED']);
    });

    it('accepts a lottery round drawn after it closes that takes the roll-forward of the first round, and a 折扣 type', async () => {
      const later = await api.call('POST', `/campaigns/${draft.id}/rounds`, {
        token: admin,
        body: round({ mode: 'lottery', drawAt: day(21, 20) }),
      });
      expect(later.status).toBe(201);
      const lotteryId = later.body.id as string;
      const rolled = await api.call('PUT', `/campaigns/${draft.id}/rounds/${draft.roundId}`, {
        token: admin,
        body: firstComeRound(draft.voucherTypeId, { rollForwardToRoundId: lotteryId }),
      });
      expect([rolled.status, rolled.body.rollForwardToRoundId]).toEqual([200, lotteryId]);
      const percentage = await api.call('POST', `/campaigns/${draft.id}/voucher-types`, {
        token: admin,
        body: thresholdVoucher({
          name: '85折',
          kind: 'percentage',
          thresholdFen: 0,
          discountFen: null,
          percentOff: 15,
          capFen: 5000,
          bureauShareBp: 6000,
        }),
      });
      expect(percentage.status).toBe(201);
      expect(percentage.body).toMatchObject({ name: '85折', maxBureauSubsidyFen: 3000 });
      expect((await get(draft.id)).worstCaseSubsidyFen).toBe(4_000_000);
    });
  });

  describe('created parts come back with their id and URL, and errors name the body sent', () => {
    let draft: DraftIds;

    beforeAll(async () => {
      draft = await draftCampaign(api, admin);
    });

    it('answers a new campaign, voucher type and round with its id and a Location that reads it', async () => {
      const campaign = await api.call('POST', '/campaigns', { token: admin, body: newCampaign() });
      expect([campaign.status, campaign.headers.location]).toEqual([201, `/api/v1/campaigns/${campaign.body.id}`]);
      const type = await api.call('POST', `/campaigns/${campaign.body.id}/voucher-types`, {
        token: admin,
        body: thresholdVoucher(),
      });
      expect(type.status).toBe(201);
      expect(type.body).toMatchObject({ id: expect.any(String), name: '满100减20', maxBureauSubsidyFen: 2000 });
      expect(type.headers.location).toBe(`/api/v1/campaigns/${campaign.body.id}/voucher-types/${type.body.id}`);
      const round = await api.call('POST', `/campaigns/${campaign.body.id}/rounds`, {
        token: admin,
        body: firstComeRound(type.body.id as string),
      });
      expect(round.status).toBe(201);
      expect(round.body).toMatchObject({
        id: expect.any(String),
        name: '第一场',
        offers: [{ id: expect.any(String), stock: 1000 }],
      });
      expect(round.headers.location).toBe(`/api/v1/campaigns/${campaign.body.id}/rounds/${round.body.id}`);
      for (const [reply, token] of [
        [type, admin],
        [round, hanbin],
      ] as const) {
        expect(await api.call('GET', String(reply.headers.location).replace('/api/v1', ''), { token })).toMatchObject({
          status: 200,
          body: reply.body,
        });
      }
      expect(
        (await api.call('GET', `/campaigns/${campaign.body.id}/rounds/${randomUUID()}`, { token: admin })).body.code,
      ).toBe('ROUND_NOT_FOUND');
    });

    it('answers a replaced voucher type or round with itself', async () => {
      const type = await api.call('PUT', `/campaigns/${draft.id}/voucher-types/${draft.voucherTypeId}`, {
        token: admin,
        body: thresholdVoucher({ name: '满100减25', discountFen: 2500 }),
      });
      expect([type.status, type.body.id, type.body.name]).toEqual([200, draft.voucherTypeId, '满100减25']);
      const round = await api.call('PUT', `/campaigns/${draft.id}/rounds/${draft.roundId}`, {
        token: admin,
        body: firstComeRound(draft.voucherTypeId, { name: '首场' }),
      });
      expect([round.status, round.body.id, round.body.name]).toEqual([200, draft.roundId, '首场']);
    });

    const otherRound = (overrides: Record<string, unknown>) =>
      firstComeRound(draft.voucherTypeId, {
        name: '另一场',
        opensAt: day(20, 10),
        closesAt: day(21, 10),
        ...overrides,
      });
    it.each([
      [
        'a field of the new voucher type',
        'POST',
        '/voucher-types',
        () => thresholdVoucher({ thresholdFen: 1000 }),
        { field: 'thresholdFen' },
      ],
      [
        'a field of an offer of the new round',
        'POST',
        '/rounds',
        () => otherRound({ offers: [{ name: '空', stock: 10, items: [] }] }),
        { field: 'offers[0].items' },
      ],
      [
        'a field of the replaced round',
        'PUT',
        '/rounds/{round}',
        () => otherRound({ mode: 'lottery' }),
        { field: 'drawAt' },
      ],
      [
        'the other round a new round overlaps',
        'POST',
        '/rounds',
        () => otherRound({ opensAt: day(12), closesAt: day(13) }),
        { field: 'opensAt', related: { roundId: '{round}', field: 'opensAt' } },
      ],
      [
        'the budget the stock of a new round exceeds',
        'POST',
        '/rounds',
        () =>
          otherRound({
            offers: [{ name: '多', stock: 5000, items: [{ voucherTypeId: draft.voucherTypeId, quantity: 1 }] }],
          }),
        { related: { field: 'budgetFen' } },
      ],
      [
        'the voucher type that a change of eligibility leaves out',
        'PATCH',
        '',
        () => ({ eligibility: { categoryCodes: ['retail'] } }),
        { related: { voucherTypeId: '{type}', field: 'categoryCodes' } },
      ],
    ] as const)('points at %s', async (_name, method, path, body, expected) => {
      const fill = (text: string) => text.replace('{round}', draft.roundId).replace('{type}', draft.voucherTypeId);
      const reply = await api.call(method, `/campaigns/${draft.id}${fill(path)}`, { token: admin, body: body() });
      expect(reply.status).toBe(400);
      expect({ field: reply.body.field, related: reply.body.related }).toEqual({
        field: undefined,
        related: undefined,
        ...JSON.parse(fill(JSON.stringify(expected))),
      });
    });
  });

  describe('deleting a draft', () => {
    it('deletes a draft never submitted with its parts, frees its code and audits the whole campaign', async () => {
      const draft = await draftCampaign(api, hanbin, { scopeCountyCode: 'hanbin' });
      const before = await get(draft.id);
      const deleted = await api.call('DELETE', `/campaigns/${draft.id}`, { token: hanbin });
      expect(deleted.status).toBe(204);
      expect((await api.call('GET', `/campaigns/${draft.id}`, { token: admin })).body.code).toBe('CAMPAIGN_NOT_FOUND');
      expect(
        await api.db.query('SELECT count(*)::int AS n FROM voucher_types WHERE campaign_id = $1', [draft.id]),
      ).toEqual([{ n: 0 }]);
      const entry = await api.db.getRepository(AuditLog).findOneByOrFail({ requestId: deleted.requestId });
      expect(entry).toMatchObject({ action: 'campaign.delete', entityId: draft.id, before, after: null });
      const again = await api.call('POST', '/campaigns', { token: admin, body: newCampaign({ code: before.code }) });
      expect(again.status).toBe(201);
    });

    it('keeps a draft sent back by a rejection, and every campaign past draft, with 409 CAMPAIGN_NOT_DELETABLE', async () => {
      const rejected = await draftCampaign(api, admin);
      await api.call('POST', `/campaigns/${rejected.id}/submit`, { token: admin });
      await api.call('POST', `/campaigns/${rejected.id}/reject`, { token: approver, body: { reason: '请补充' } });
      const published = await publishedCampaign(api, admin, approver);
      for (const id of [rejected.id, published.id]) {
        const audits = await api.db.getRepository(AuditLog).count();
        const refused = await api.call('DELETE', `/campaigns/${id}`, { token: admin });
        expect([refused.status, refused.body.code]).toEqual([409, 'CAMPAIGN_NOT_DELETABLE']);
        expect((await get(id)).id).toBe(id);
        expect(await api.db.getRepository(AuditLog).count()).toBe(audits);
      }
    });

    it("deletes only within the caller's scope: another county's draft is 404, a city-wide one 403 OUT_OF_SCOPE", async () => {
      const own = await draftCampaign(api, hanbin, { scopeCountyCode: 'hanbin' });
      const cityWide = await draftCampaign(api, admin);
      expect((await api.call('DELETE', `/campaigns/${own.id}`, { token: xunyang })).body.code).toBe(
        'CAMPAIGN_NOT_FOUND',
      );
      expect((await api.call('DELETE', `/campaigns/${cityWide.id}`, { token: hanbin })).body.code).toBe('OUT_OF_SCOPE');
      expect((await get(own.id)).id).toBe(own.id);
      expect((await get(cityWide.id)).id).toBe(cityWide.id);
    });
  });

  it('stores every limit and eligibility rule as given', async () => {
    const ids = await draftCampaign(api, admin);
    const [allowed, denied] = await api.db
      .getRepository(Merchant)
      .find({ where: { countyCode: 'hanbin' }, take: 2, order: { licenceNo: 'ASC' } });
    const limits = {
      perPerson: 3,
      perPersonPerRound: 1,
      perPersonPerDay: 2,
      perPersonPerCategory: { automobile: 1, appliances: 2 },
      merchantDailyRedemptions: 300,
      merchantDailySubsidyCapFen: 1_500_000,
    };
    const eligibility = {
      categoryCodes: [],
      countyCodes: ['hanbin', 'xunyang'],
      allowMerchantIds: [allowed.id],
      denyMerchantIds: [denied.id],
      aboveQuotaOnly: true,
    };
    const reply = await api.call('PATCH', `/campaigns/${ids.id}`, { token: admin, body: { limits, eligibility } });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ limits, eligibility });
    expect(await get(ids.id)).toMatchObject({ limits, eligibility });
  });

  it('keeps a county admin to their county: own campaigns only, city-wide ones read-only', async () => {
    expect((await api.call('POST', '/campaigns', { token: hanbin, body: newCampaign() })).body.code).toBe(
      'OUT_OF_SCOPE',
    );
    expect(
      (await api.call('POST', '/campaigns', { token: hanbin, body: newCampaign({ scopeCountyCode: 'xunyang' }) })).body
        .code,
    ).toBe('OUT_OF_SCOPE');
    const own = await draftCampaign(api, hanbin, { scopeCountyCode: 'hanbin' });
    const cityWide = await draftCampaign(api, admin);
    expect((await api.call('GET', `/campaigns/${cityWide.id}`, { token: hanbin })).status).toBe(200);
    const change = await api.call('PATCH', `/campaigns/${cityWide.id}`, { token: hanbin, body: { name: '改' } });
    expect([change.status, change.body.code]).toEqual([403, 'OUT_OF_SCOPE']);
    expect((await api.call('GET', `/campaigns/${own.id}`, { token: xunyang })).body.code).toBe('CAMPAIGN_NOT_FOUND');
    expect((await api.call('PATCH', `/campaigns/${own.id}`, { token: xunyang, body: { name: '改' } })).status).toBe(
      404,
    );
    const listed = (await api.call('GET', '/campaigns?limit=200', { token: xunyang })).body.items as {
      id: string;
      scopeCountyCode: string | null;
    }[];
    expect(listed.map((c) => c.id)).not.toContain(own.id);
    expect(listed.every((c) => c.scopeCountyCode === null || c.scopeCountyCode === 'xunyang')).toBe(true);
    expect((await api.call('GET', '/campaigns?scopeCountyCode=hanbin', { token: xunyang })).body.total).toBe(0);
    expect(
      (await api.call('PATCH', `/campaigns/${own.id}`, { token: hanbin, body: { scopeCountyCode: null } })).body.code,
    ).toBe('OUT_OF_SCOPE');
  });

  it('goes draft -> pending -> published with maker-checker, and refuses the approver who made or changed it', async () => {
    const created = await api.call('POST', '/campaigns', { token: admin, body: newCampaign() });
    const id = created.body.id as string;
    expect((await api.call('POST', `/campaigns/${id}/submit`, { token: admin })).body.code).toBe('CAMPAIGN_INCOMPLETE');
    const typeId = (
      await api.call('POST', `/campaigns/${id}/voucher-types`, { token: admin, body: thresholdVoucher() })
    ).body.id as string;
    // The approver edits the draft: now they are a maker too.
    await api.call('POST', `/campaigns/${id}/rounds`, { token: approver, body: firstComeRound(typeId) });
    const pending = await api.call('POST', `/campaigns/${id}/submit`, { token: admin });
    expect(pending.body).toMatchObject({
      status: 'pending_approval',
      makerIds: expect.arrayContaining([expect.any(String), expect.any(String)]),
    });
    expect((await api.call('PATCH', `/campaigns/${id}`, { token: admin, body: { name: '改名' } })).body.code).toBe(
      'CAMPAIGN_NOT_EDITABLE',
    );
    for (const maker of [admin, approver]) {
      const refused = await api.call('POST', `/campaigns/${id}/approve`, { token: maker });
      expect([refused.status, refused.body.code]).toEqual([403, 'APPROVER_IS_MAKER']);
    }
    expect(
      (await api.call('POST', `/campaigns/${id}/reject`, { token: hanbin, body: { reason: '不在本县' } })).body.code,
    ).toBe('OUT_OF_SCOPE');
    expect(
      (await api.call('POST', `/campaigns/${id}/reject`, { token: await api.login('finance'), body: { reason: 'x' } }))
        .body.code,
    ).toBe('FORBIDDEN');
    const back = await api.call('POST', `/campaigns/${id}/reject`, {
      token: approver,
      body: { reason: '预算测算依据不足' },
    });
    expect(back.body).toMatchObject({ status: 'draft', reviewNote: '预算测算依据不足' });
    await api.call('POST', `/campaigns/${id}/submit`, { token: admin });

    const { body: checker } = await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'checker-2', displayName: '复核 二', password: 'checker-password', role: 'city_admin' },
    });
    const published = await api.call('POST', `/campaigns/${id}/approve`, {
      token: await api.login('checker-2', 'checker-password'),
    });
    expect(published.body).toMatchObject({ status: 'published', approvedById: checker.id, reviewNote: null });
    expect((await api.call('POST', `/campaigns/${id}/approve`, { token: approver })).body.code).toBe(
      'CAMPAIGN_INVALID_TRANSITION',
    );
  });

  describe('a published campaign', () => {
    let c: DraftIds;

    beforeAll(async () => {
      c = await publishedCampaign(api, admin, approver);
    });

    it('has its round counters prepared in Redis on publishing', async () => {
      // Configuration only: issued counts and the run id come from the rebuild on the first claim.
      expect(await counters(c.id, c.roundId)).toEqual({
        open: String(new Date(day(11, 10)).getTime()),
        close: String(new Date(day(12, 10)).getTime()),
        live: '1',
        lim: '2',
        rlim: '1',
        dlim: '1',
        [`s:${c.offerId}`]: '1000',
      });
    });

    it.each([
      ['PATCH', '', { name: '改名' }],
      ['POST', '/voucher-types', thresholdVoucher()],
      ['PUT', '/voucher-types/{type}', thresholdVoucher()],
      ['DELETE', '/voucher-types/{type}', undefined],
      ['POST', '/rounds', firstComeRound(randomUUID(), { opensAt: day(20), closesAt: day(21) })],
      ['PUT', '/rounds/{round}', firstComeRound(randomUUID())],
      ['DELETE', '/rounds/{round}', undefined],
    ] as const)('refuses %s %s with 409 CAMPAIGN_NOT_EDITABLE', async (method, path, body) => {
      const url = `/campaigns/${c.id}${path.replace('{type}', c.voucherTypeId).replace('{round}', c.roundId)}`;
      const reply = await api.call(method, url, { token: admin, body });
      expect([reply.status, reply.body.code]).toEqual([409, 'CAMPAIGN_NOT_EDITABLE']);
    });

    it('pauses and resumes a round and the whole campaign, in Postgres and in the Redis live flag', async () => {
      const paused = await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/pause`, { token: admin });
      expect(paused.body.paused).toBe(true);
      expect((await counters(c.id, c.roundId)).live).toBe('0');
      expect((await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/pause`, { token: admin })).status).toBe(
        200,
      );
      await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/resume`, { token: admin });
      expect((await counters(c.id, c.roundId)).live).toBe('1');
      expect((await api.call('POST', `/campaigns/${c.id}/pause`, { token: admin })).body.paused).toBe(true);
      expect((await counters(c.id, c.roundId)).live).toBe('0');
      expect((await api.call('POST', `/campaigns/${c.id}/resume`, { token: admin })).body.paused).toBe(false);
      expect((await counters(c.id, c.roundId)).live).toBe('1');
    });

    it('extends windows only later, and adds stock only within the budget, updating Redis without resetting issued counts', async () => {
      await redis.hset(roundKey(api.env.config.REDIS_KEY_PREFIX, c.id, c.roundId), `i:${c.offerId}`, 37);
      expect(
        (await api.call('POST', `/campaigns/${c.id}/extend`, { token: admin, body: { endsAt: day(39) } })).body.code,
      ).toBe('UNSAFE_CHANGE');
      expect(
        (await api.call('POST', `/campaigns/${c.id}/extend`, { token: admin, body: { endsAt: day(45) } })).body.endsAt,
      ).toBe(day(45));
      expect(
        (
          await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/extend`, {
            token: admin,
            body: { closesAt: day(12) },
          })
        ).body.code,
      ).toBe('UNSAFE_CHANGE');
      expect(
        (
          await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/extend`, {
            token: admin,
            body: { closesAt: day(46) },
          })
        ).body.code,
      ).toBe('ROUND_OUTSIDE_CAMPAIGN');
      await api.call('POST', `/campaigns/${c.id}/rounds/${c.roundId}/extend`, {
        token: admin,
        body: { closesAt: day(13, 10) },
      });
      expect((await counters(c.id, c.roundId)).close).toBe(String(new Date(day(13, 10)).getTime()));

      const stockUrl = `/campaigns/${c.id}/rounds/${c.roundId}/offers/${c.offerId}/stock`;
      expect((await api.call('PUT', stockUrl, { token: admin, body: { stock: 999 } })).body.code).toBe('UNSAFE_CHANGE');
      expect((await api.call('PUT', stockUrl, { token: admin, body: { stock: 2501 } })).body.code).toBe(
        'BUDGET_EXCEEDED',
      );
      expect((await api.call('PUT', stockUrl, { token: admin, body: { stock: 2500 } })).body.worstCaseSubsidyFen).toBe(
        5_000_000,
      );
      expect((await api.call('PUT', stockUrl, { token: admin, body: { stock: 2500 } })).status).toBe(200);
      expect(await counters(c.id, c.roundId)).toMatchObject({ [`s:${c.offerId}`]: '2500', [`i:${c.offerId}`]: '37' });
      expect(
        (
          await api.call('PUT', `/campaigns/${c.id}/rounds/${c.roundId}/offers/${randomUUID()}/stock`, {
            token: admin,
            body: { stock: 1 },
          })
        ).body.code,
      ).toBe('OFFER_NOT_FOUND');
    });

    it('prepares counters again on request, after Redis lost them', async () => {
      await redis.del(roundKey(api.env.config.REDIS_KEY_PREFIX, c.id, c.roundId));
      expect((await api.call('POST', `/campaigns/${c.id}/counters`, { token: admin })).status).toBe(200);
      expect((await counters(c.id, c.roundId)).live).toBe('1');
    });

    it('runs when its window begins and ends when it is over (the clock), then can be archived', async () => {
      const clock = api.app.get(CampaignClock);
      const ended = await publishedCampaign(api, admin, approver);
      expect(await clock.tick(new Date(day(10, 1)))).toEqual(
        expect.arrayContaining([{ campaignId: ended.id, action: 'start' }]),
      );
      expect((await get(ended.id)).status).toBe('running');
      expect((await api.call('POST', `/campaigns/${ended.id}/archive`, { token: admin })).body.code).toBe(
        'CAMPAIGN_INVALID_TRANSITION',
      );
      expect(await clock.tick(new Date(day(40, 1)))).toEqual(
        expect.arrayContaining([{ campaignId: ended.id, action: 'end' }]),
      );
      expect(await clock.tick(new Date(day(40, 1)))).not.toEqual(
        expect.arrayContaining([{ campaignId: ended.id, action: 'end' }]),
      );
      expect((await get(ended.id)).status).toBe('ended');
      expect((await counters(ended.id, ended.roundId)).live).toBe('0');
      expect(
        (await api.call('POST', `/campaigns/${ended.id}/rounds/${ended.roundId}/resume`, { token: admin })).body.code,
      ).toBe('CAMPAIGN_NOT_LIVE');
      expect((await api.call('POST', `/campaigns/${ended.id}/archive`, { token: admin })).body.status).toBe('archived');
      const entries = await api.db
        .getRepository(AuditLog)
        .find({ where: { entityId: ended.id }, order: { id: 'ASC' } });
      expect(entries.map((e) => [e.action, e.actorRole])).toEqual(
        expect.arrayContaining([
          ['campaign.start', 'system'],
          ['campaign.end', 'system'],
          ['campaign.archive', 'city_admin'],
        ]),
      );
    });
  });

  describe('problem bodies', () => {
    it("keep `status` the HTTP status and name the campaign's status `campaignStatus`", async () => {
      const running = await publishedCampaign(api, admin, approver);
      await api.app.get(CampaignClock).tick(new Date(day(10, 1)));
      const edit = await api.call('PATCH', `/campaigns/${running.id}`, { token: admin, body: { name: '改名' } });
      expect(edit.body).toMatchObject({ status: 409, code: 'CAMPAIGN_NOT_EDITABLE', campaignStatus: 'running' });
      const draft = await draftCampaign(api, admin);
      const archive = await api.call('POST', `/campaigns/${draft.id}/archive`, { token: admin });
      expect(archive.body).toMatchObject({
        status: 409,
        code: 'CAMPAIGN_INVALID_TRANSITION',
        campaignStatus: 'draft',
        action: 'archive',
      });
    });

    it('give every amount of money as an integer number of fen', async () => {
      const draft = await draftCampaign(api, admin);
      const reply = await api.call('PATCH', `/campaigns/${draft.id}`, { token: admin, body: { budgetFen: 1_999_999 } });
      expect(reply.body).toMatchObject({
        status: 400,
        code: 'BUDGET_EXCEEDED',
        worstCaseSubsidyFen: 2_000_000,
        budgetFen: 1_999_999,
      });
    });

    it.each([
      ['a string', '5000'],
      ['a fraction', 5000.5],
      ['beyond 2^53', 1e20],
    ])('tell an amount given as %s that it must be an integer number of fen', async (_name, thresholdFen) => {
      const draft = await draftCampaign(api, admin);
      const reply = await api.call('POST', `/campaigns/${draft.id}/voucher-types`, {
        token: admin,
        body: thresholdVoucher({ thresholdFen }),
      });
      expect(reply.status).toBe(400);
      expect(reply.body.errors).toEqual([
        { field: 'thresholdFen', messages: ['thresholdFen must be an integer number of fen'] },
      ]);
    });

    it('tell an amount below its least what the least is', async () => {
      const draft = await draftCampaign(api, admin);
      const reply = await api.call('PATCH', `/campaigns/${draft.id}`, { token: admin, body: { budgetFen: 0 } });
      expect(reply.body.errors).toEqual([{ field: 'budgetFen', messages: ['budgetFen must be at least 1 fen'] }]);
    });
  });

  it('accepts a window that closes exactly at the campaign end', async () => {
    const ids = await draftCampaign(api, admin);
    const reply = await api.call('PUT', `/campaigns/${ids.id}/rounds/${ids.roundId}`, {
      token: admin,
      body: firstComeRound(ids.voucherTypeId, { closesAt: CAMPAIGN_ENDS }),
    });
    expect(reply.status).toBe(200);
  });
});
