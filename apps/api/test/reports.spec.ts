import { Workbook } from 'exceljs';
import { businessDay } from '@quan/domain';
import { ReportEvent, ReportFolder } from '@quan/reports';
import { SettlementRun } from '@quan/settlement';
import {
  createRedemptionFixture,
  createSettlementFixture,
  RedemptionFixture,
  startCompiledService,
} from '@quan/testing';
import { Api, startApi } from './support/api';

interface Figures {
  redemptions: number;
  orderTotalFen: number;
  discountFen: number;
  subsidyFen: number;
  leverage: number | null;
}
interface LeverageReport {
  by: string;
  from: string;
  to: string;
  rows: (Figures & { key: string; label: string })[];
  total: Figures;
}
interface Overview {
  asOf: string | null;
  today: Figures & { businessDay: string; claims: number; vouchersIssued: number; reversals: number };
  campaigns: { campaignId: string; budgetFen: number; usedFen: number; remainingFen: number }[];
  daily: { businessDay: string; claims: number; redemptions: number; subsidyFen: number }[];
}

/**
 * The reports read from the aggregates the worker keeps. Redemptions and reversals go through the api (so
 * their outbox rows are the real ones); the events are folded the way the worker folds them, and, in the
 * last test, by the compiled worker itself.
 */
describe('reports', () => {
  let api: Api;
  let fixture: RedemptionFixture;
  let folder: ReportFolder;
  let tokens: Record<'city' | 'hanbin' | 'xunyang' | 'finance' | 'auditor', string>;
  const today = businessDay(new Date());
  let used = 0;

  const redeem = async (cashierToken: string, orderAmountFen: number) => {
    const voucher = fixture.vouchers[used];
    used += 1;
    const reply = await api.call('POST', '/merchant/redemptions', {
      token: cashierToken,
      body: { code: voucher.shortCode, orderAmountFen },
      headers: { 'idempotency-key': `report-${used}` },
    });
    expect(reply.status).toBe(201);
    return reply.body as { id: string; subsidyFen: number; discountFen: number };
  };

  /** The events of every outbox row written so far, as the relay delivers them to the worker. */
  const outboxEvents = async (): Promise<ReportEvent[]> => {
    const rows: { topic: string; payload: { redemptionId: string } }[] = await api.db.query(
      `SELECT topic, payload FROM outbox ORDER BY id`,
    );
    return rows.map((row) => ({
      redemptionId: row.payload.redemptionId,
      kind: row.topic === 'redemption.reversed' ? 'reversed' : 'redeemed',
    }));
  };
  const aggregates = async () => ({
    byMerchant: await api.db.query(
      `SELECT * FROM report_redemption_days ORDER BY campaign_id, business_day, merchant_id`,
    ),
    byArea: await api.db.query(
      `SELECT * FROM report_area_days ORDER BY campaign_id, business_day, county_code, category_code`,
    ),
  });
  const get = async <T>(url: string, token: string) => {
    const reply = await api.call('GET', url, { token });
    expect({ url, status: reply.status, body: reply.body }).toMatchObject({ status: 200 });
    return reply.body as unknown as T;
  };

  beforeAll(async () => {
    api = await startApi();
    folder = new ReportFolder(api.db, api.env.config);
    fixture = await createRedemptionFixture(api.db, api.env.config, {
      residents: 10,
      merchants: 2,
      bureauShareBp: 7000,
      campaign: { status: 'running' },
    });
    tokens = {
      city: await api.login('admin'),
      hanbin: await api.login('hanbin-admin'),
      xunyang: await api.login('xunyang-admin'),
      finance: await api.login('finance'),
      auditor: await api.login('auditor'),
    };
    const redeemed = [];
    for (let i = 0; i < 8; i += 1)
      redeemed.push(await redeem(fixture.merchants[i % 2].cashierTokens[0], 6000 + i * 1000));
    await redeem(fixture.otherCounty.cashierTokens[0], 9900);
    for (const [i, r] of redeemed.slice(0, 2).entries()) {
      expect(
        (
          await api.call('POST', `/merchant/redemptions/${r.id}/reversal`, {
            token: fixture.merchants[i].adminToken,
            body: {},
          })
        ).status,
      ).toBe(200);
    }
  });

  afterAll(() => api?.close());

  it('folds each event once: redelivered, replayed out of order or raced, counted as the redemptions are', async () => {
    const events = await outboxEvents();
    expect(events.filter((e) => e.kind === 'reversed')).toHaveLength(2);
    await folder.fold(events);
    const once = await aggregates();

    await Promise.all([
      folder.fold(events),
      folder.fold([...events].reverse()),
      ...events.map((event) => folder.fold([event])),
    ]);
    await folder.catchUp(true);
    expect(await aggregates()).toEqual(once);

    const direct = await api.db.query(
      `SELECT campaign_id, to_char(business_day, 'YYYY-MM-DD') AS day, merchant_id,
              count(*) FILTER (WHERE reversed_at IS NULL)::int AS redemptions,
              count(*) FILTER (WHERE reversed_at IS NOT NULL)::int AS reversals,
              coalesce(sum(order_amount_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS order_total,
              coalesce(sum(subsidy_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS subsidy
         FROM redemptions GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
    );
    expect(
      once.byMerchant.map((row: Record<string, unknown>) => ({
        campaign_id: row.campaign_id,
        day: today,
        merchant_id: row.merchant_id,
        redemptions: row.redemptions,
        reversals: row.reversals,
        order_total: row.order_total_fen,
        subsidy: row.subsidy_fen,
      })),
    ).toEqual(direct);
    // The rollup without merchants holds the same sums.
    expect(once.byArea).toEqual(
      await api.db.query(
        `SELECT campaign_id, business_day, county_code, category_code, sum(redemptions)::int AS redemptions,
                sum(reversals)::int AS reversals, sum(order_total_fen)::text AS order_total_fen,
                sum(discount_fen)::text AS discount_fen, sum(subsidy_fen)::text AS subsidy_fen,
                max(last_event_at) AS last_event_at
           FROM report_redemption_days GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`,
      ),
    );
  });

  it("matches settlement to the fen: a settled day's subsidy in the report is the total of its lines", async () => {
    await folder.fold(await outboxEvents());
    await new SettlementRun(api.db, api.env.config).settleDay(today);
    const [lines] = await api.db.query(
      `SELECT coalesce(sum(l.amount_fen), 0)::int AS subsidy, count(*)::int AS lines
         FROM settlement_lines l JOIN settlement_statements s ON s.id = l.statement_id WHERE s.business_day = $1`,
      [today],
    );
    const [orders] = await api.db.query(
      `SELECT sum(order_amount_fen)::int AS total FROM redemptions WHERE reversed_at IS NULL`,
    );
    const report = await get<LeverageReport>(`/reports/leverage?by=day&from=${today}&to=${today}`, tokens.finance);
    expect(lines.lines).toBe(7);
    expect(report.rows).toEqual([
      expect.objectContaining({ key: today, redemptions: 7, subsidyFen: lines.subsidy, orderTotalFen: orders.total }),
    ]);
    expect(report.total).toEqual({
      ...report.rows[0],
      key: undefined,
      label: undefined,
      leverage: Math.round((orders.total / lines.subsidy) * 100) / 100,
    });
  });

  it('shows a county admin their county only, and the whole city to city admins, finance and auditors', async () => {
    const byCounty = (token: string) => get<LeverageReport>('/reports/leverage?by=county', token);
    const city = await byCounty(tokens.city);
    expect(city.rows.map((row) => [row.key, row.label, row.redemptions])).toEqual([
      ['hanbin', '汉滨区', 6],
      ['xunyang', '旬阳市', 1],
    ]);
    expect((await byCounty(tokens.auditor)).rows).toEqual(city.rows);
    expect((await byCounty(tokens.finance)).rows).toEqual(city.rows);
    expect((await byCounty(tokens.hanbin)).rows.map((row) => row.key)).toEqual(['hanbin']);
    expect((await byCounty(tokens.xunyang)).rows.map((row) => [row.key, row.redemptions])).toEqual([['xunyang', 1]]);
    const merchants = await get<LeverageReport>('/reports/leverage?by=merchant', tokens.hanbin);
    expect(merchants.rows.map((row) => row.key).sort()).toEqual(fixture.merchants.map((m) => m.id).sort());
    expect(merchants.total.redemptions).toBe(6);
    const overview = await get<Overview>('/reports/overview', tokens.xunyang);
    expect(overview.today).toMatchObject({ businessDay: today, redemptions: 1, orderTotalFen: 9900 });

    expect((await api.call('GET', '/reports/overview', { token: fixture.merchants[0].adminToken })).status).toBe(403);
    expect(
      (await api.call('GET', '/reports/leverage?by=day', { token: fixture.merchants[0].cashierTokens[0] })).status,
    ).toBe(403);
    expect(
      (await api.call('GET', '/reports/leverage?by=day', { token: fixture.vouchers[0].residentToken })).status,
    ).toBe(403);
    expect((await api.call('GET', '/reports/overview')).status).toBe(401);
  });

  it('answers the dashboard: today, the last 14 days, and the budget used by each running campaign', async () => {
    const overview = await get<Overview>('/reports/overview', tokens.city);
    expect(overview.daily).toHaveLength(14);
    expect(overview.daily[13]).toMatchObject({ businessDay: today, redemptions: 7 });
    expect(overview.daily.slice(0, 13).every((day) => day.redemptions === 0)).toBe(true);
    expect(overview.today).toMatchObject({ businessDay: today, redemptions: 7, reversals: 2 });
    expect(overview.today.leverage).toBe(
      Math.round((overview.today.orderTotalFen / overview.today.subsidyFen) * 100) / 100,
    );
    const [spend] = await api.db.query(
      `SELECT s.redeemed_subsidy_fen::int AS used, c.budget_fen::int AS budget
         FROM campaigns c JOIN campaign_spend s ON s.campaign_id = c.id
        WHERE c.id = $1`,
      [fixture.campaignId],
    );
    const campaign = overview.campaigns.find((c) => c.campaignId === fixture.campaignId);
    expect(campaign).toMatchObject({
      budgetFen: spend.budget,
      usedFen: spend.used,
      remainingFen: spend.budget - spend.used,
    });
    expect(overview.asOf).not.toBeNull();

    const narrowed = await get<Overview>(
      `/reports/overview?campaignId=${fixture.campaignId}&from=2026-11-01&to=2026-11-03`,
      tokens.city,
    );
    expect(narrowed.daily.map((day) => day.businessDay)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
    expect(narrowed.campaigns.map((c) => c.campaignId)).toEqual([fixture.campaignId]);
  });

  it('counts claims once each, from the claims committed before the watermark', async () => {
    const counted = async () => (await get<Overview>('/reports/overview', tokens.city)).today;
    expect(await counted()).toMatchObject({ claims: 0, vouchersIssued: 0 });
    await folder.foldClaims(new Date(Date.now() + 1000));
    await folder.foldClaims(new Date(Date.now() + 2000));
    expect(await counted()).toMatchObject({ claims: 10, vouchersIssued: 20 });
  });

  it('refuses an unknown dimension, bad or backward days and unknown parameters: 400 VALIDATION_FAILED', async () => {
    for (const url of [
      '/reports/leverage?by=week',
      '/reports/leverage',
      '/reports/leverage?by=day&from=2026-02-30',
      '/reports/overview?from=2026-12-05&to=2026-12-01',
      '/reports/overview?from=2024-01-01&to=2026-01-01',
      '/reports/overview?county=hanbin',
      '/reports/leverage?by=merchant&limit=0',
      '/reports/leverage/export?by=day&format=pdf',
      '/reports/overview?campaignId=nope',
    ]) {
      const reply = await api.call('GET', url, { token: tokens.city });
      expect({ url, status: reply.status, code: reply.body.code }).toEqual({
        url,
        status: 400,
        code: 'VALIDATION_FAILED',
      });
    }
  });

  it('exports CSV and XLSX: an attachment, Chinese header row, yuan with two decimals, a total row', async () => {
    const report = await get<LeverageReport>('/reports/leverage?by=county', tokens.city);
    const yuan = (amount: number) => (amount / 100).toFixed(2);

    const csv = await api.app.inject({
      method: 'GET',
      url: '/api/v1/reports/leverage/export?by=county&format=csv',
      headers: { authorization: `Bearer ${tokens.city}` },
    });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(csv.headers['content-disposition']).toMatch(
      /^attachment; filename="leverage-county-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect([...csv.rawPayload.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.rawPayload.subarray(3).toString('utf8').trimEnd().split('\r\n');
    expect(lines[0]).toBe('"区县","核销笔数","订单金额（元）","优惠金额（元）","财政补贴（元）","拉动比"');
    expect(lines.slice(1)).toEqual([
      ...report.rows.map((r) =>
        [
          `"${r.label}"`,
          r.redemptions,
          yuan(r.orderTotalFen),
          yuan(r.discountFen),
          yuan(r.subsidyFen),
          r.leverage!.toFixed(2),
        ].join(','),
      ),
      [
        '"合计"',
        report.total.redemptions,
        yuan(report.total.orderTotalFen),
        yuan(report.total.discountFen),
        yuan(report.total.subsidyFen),
        report.total.leverage!.toFixed(2),
      ].join(','),
    ]);

    const xlsx = await api.app.inject({
      method: 'GET',
      url: '/api/v1/reports/leverage/export?by=county&format=xlsx',
      headers: { authorization: `Bearer ${tokens.city}` },
    });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-disposition']).toMatch(/^attachment; filename="leverage-county-.*\.xlsx"$/);
    const workbook = new Workbook();
    await workbook.xlsx.load(xlsx.rawPayload as never);
    const sheet = workbook.worksheets[0];
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '区县',
      '核销笔数',
      '订单金额（元）',
      '优惠金额（元）',
      '财政补贴（元）',
      '拉动比',
    ]);
    expect(sheet.getRow(2).values).toEqual([
      undefined,
      '汉滨区',
      6,
      report.rows[0].orderTotalFen / 100,
      report.rows[0].discountFen / 100,
      report.rows[0].subsidyFen / 100,
      report.rows[0].leverage,
    ]);
    expect(sheet.getRow(4).getCell(1).value).toBe('合计');
    expect(sheet.getRow(2).getCell(3).numFmt).toBe('#,##0.00');
  });

  it('exports a merchant name that looks like a formula as inert text', async () => {
    const merchant = fixture.merchants[0];
    await api.db.query(`UPDATE merchants SET name = $2 WHERE id = $1`, [merchant.id, '=HYPERLINK("http://x","y")']);
    const csv = await api.app.inject({
      method: 'GET',
      url: '/api/v1/reports/leverage/export?by=merchant&format=csv',
      headers: { authorization: `Bearer ${tokens.city}` },
    });
    expect(csv.statusCode).toBe(200);
    const lines = csv.rawPayload.subarray(3).toString('utf8').split('\r\n');
    expect(lines.find((line) => line.includes('HYPERLINK'))).toMatch(/^"'=HYPERLINK\(""http:\/\/x"",""y""\)",\d+,/);
  });

  it('shows a redemption within 5 s with the compiled worker running', async () => {
    const worker = await startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
      DATABASE_URL: api.env.config.DATABASE_URL,
      REDIS_URL: api.env.config.REDIS_URL,
      REDIS_KEY_PREFIX: api.env.config.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'warn',
    });
    try {
      const before = (await get<Overview>('/reports/overview', tokens.city)).today;
      const started = Date.now();
      const redemption = await redeem(fixture.merchants[0].cashierTokens[1], 12345);
      let today = before;
      while (today.redemptions === before.redemptions && Date.now() - started < 10000) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        today = (await get<Overview>('/reports/overview', tokens.city)).today;
      }
      const elapsed = Date.now() - started;
      expect({ elapsed: elapsed <= 5000, today }).toMatchObject({
        elapsed: true,
        today: {
          redemptions: before.redemptions + 1,
          orderTotalFen: before.orderTotalFen + 12345,
          subsidyFen: before.subsidyFen + redemption.subsidyFen,
        },
      });
    } finally {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('catches up in chunks on redemptions written without events, and counts claims an hour at a time', async () => {
    await createSettlementFixture(api.db, {
      merchants: 5,
      redemptionsPerMerchant: 5000,
      businessDay: '2026-11-20',
      reverseEvery: 50,
      outbox: false,
    });
    // A first catch-up (no watermark yet) held to no time at all: one chunk per call, each call going on from the last.
    await api.db.query(`DELETE FROM report_watermarks WHERE name = 'redemptions'`);
    const done = async () =>
      (await api.db.query(`SELECT 1 FROM report_watermarks WHERE name = 'redemptions' AND at > '-infinity'`)).length ===
      1;
    const [{ n: redemptions }] = await api.db.query(`SELECT count(*)::int AS n FROM redemptions`);
    let calls = 0;
    while (!(await done())) {
      await folder.catchUp(false, 0);
      calls += 1;
    }
    expect(calls).toBe(Math.ceil(redemptions / 10_000) + 1);
    await folder.catchUp(true);
    const [books] = await api.db.query(
      `SELECT (SELECT sum(redemptions)::int FROM report_redemption_days) AS folded,
              (SELECT sum(reversals)::int FROM report_redemption_days) AS reversals,
              (SELECT sum(subsidy_fen)::text FROM report_redemption_days) AS subsidy,
              (SELECT count(*)::int FROM redemptions WHERE reversed_at IS NULL) AS redemptions,
              (SELECT count(*)::int FROM redemptions WHERE reversed_at IS NOT NULL) AS reversed,
              (SELECT sum(subsidy_fen)::text FROM redemptions WHERE reversed_at IS NULL) AS "redeemedSubsidy"`,
    );
    expect(books).toEqual({
      folded: books.redemptions,
      reversals: books.reversed,
      subsidy: books.redeemedSubsidy,
      redemptions: 24500 + 8,
      reversed: 500 + 2,
      redeemedSubsidy: books.subsidy,
    });

    // Claims made three hours on are counted in steps of an hour, once.
    const counted = async () =>
      (
        await api.db.query(
          `SELECT coalesce(sum(claims), 0)::int AS claims, coalesce(sum(vouchers_issued), 0)::int AS vouchers
             FROM report_claim_days`,
        )
      )[0] as { claims: number; vouchers: number };
    const before = await counted();
    await api.db.query(
      `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at)
       SELECT gen_random_uuid(), campaign_id, round_id, offer_id, resident_id, identity_id, person_seq + 1,
              now() + interval '3 hours'
         FROM claims ORDER BY id LIMIT 4`,
    );
    await folder.foldClaims(new Date(Date.now() + 4 * 3600 * 1000));
    expect(await counted()).toEqual({ claims: before.claims + 4, vouchers: before.vouchers + 8 });
    await folder.foldClaims(new Date(Date.now() + 4 * 3600 * 1000));
    expect(await counted()).toEqual({ claims: before.claims + 4, vouchers: before.vouchers + 8 });
  });
});
