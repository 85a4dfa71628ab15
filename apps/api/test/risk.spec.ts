import { randomUUID } from 'node:crypto';
import { businessDayStart } from '@quan/domain';
import { RiskScorer } from '@quan/risk';
import { Reconciliation } from '@quan/settlement';
import { Api, startApi } from './support/api';

/** A past business day the planted patterns and their controls happen on. */
const DAY = '2026-11-20';
const DAY_START = businessDayStart(DAY).getTime();
const HOUR = 3600_000;
/** Honest order amounts: one in twelve just above 满100 (100.00–104.99), as in the rest of the category. */
const AMOUNTS = [3500, 5200, 6800, 8800, 9900, 10200, 11800, 12500, 15600, 18800, 23000, 31000];

interface Redemption {
  merchantId: string;
  amountFen: number;
  at: number;
  claimDelayMs: number;
  residentId: string;
  voucherId: string;
  reversed?: boolean;
}

/**
 * The risk rules over real Postgres, scored by the worker's RiskScorer, read through the api: each rule
 * flags its planted pattern and leaves a control of the same volume alone; replays count nothing twice; the
 * hold stops finance; clearing takes two people; a confirmed cash-out is not payable and reconciles; a
 * county admin sees their county's flags only.
 */
describe('risk', () => {
  let api: Api;
  let scorer: RiskScorer;
  let tokens: Record<'admin' | 'approver' | 'hanbin' | 'xunyang' | 'finance' | 'finance2' | 'auditor', string>;
  let thresholdTypes: { low: string; high: string };
  let campaignId: string;
  const honestPool = Array.from({ length: 50 }, () => randomUUID());
  const merchants: Record<string, string> = {};
  let seq = 0;

  const newMerchant = async (county = 'hanbin'): Promise<string> => {
    seq += 1;
    const [{ id }]: { id: string }[] = await api.db.query(
      `INSERT INTO merchants (name, licence_no, category_code, county_code, address, bank_name, bank_account_name,
                              bank_account_sealed, bank_account_masked, status)
       SELECT '风控测试商户' || $1::int, '94' || lpad($1::text, 16, '0'), 'catering', $2, '测试路' || $1::int, bank_name,
              bank_account_name, bank_account_sealed, bank_account_masked, 'approved'
         FROM merchants WHERE status = 'approved' ORDER BY licence_no LIMIT 1 RETURNING id`,
      [seq, county],
    );
    return id;
  };

  /** Inserts vouchers and redemptions as the claim and redemption paths would have left them (bulk: no triggers). */
  const insert = async (rows: Redemption[]): Promise<string[]> => {
    const ids = rows.map(() => randomUUID());
    await api.db.transaction(async (m) => {
      await m.query(`SET LOCAL session_replication_role = replica`);
      const vouchers = rows.filter((r, i) => rows.findIndex((o) => o.voucherId === r.voucherId) === i);
      await m.query(
        `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, status, valid_from,
                               valid_until, claimed_at)
         SELECT id, gen_random_uuid(), $1, type_id, resident_id, 'R' || substr(md5(id::text), 1, 11), 'redeemed',
                now() - interval '60 days', now() + interval '30 days', claimed_at
           FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::timestamptz[]) AS x(id, type_id, resident_id, claimed_at)
         ON CONFLICT DO NOTHING`,
        [
          campaignId,
          vouchers.map((r) => r.voucherId),
          vouchers.map((r) => typeOf(r.amountFen)),
          vouchers.map((r) => r.residentId),
          vouchers.map((r) => new Date(r.at - r.claimDelayMs)),
        ],
      );
      await m.query(
        `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id,
                                  order_amount_fen, discount_fen, subsidy_fen, merchant_funded_fen, business_day,
                                  redeemed_at, idempotency_key, reversed_at, reversed_by_id, reversal_business_day)
         SELECT id, voucher_id, $1, type_id, resident_id, merchant_id, gen_random_uuid(), amount, 500, 500, 0, $2::date,
                at, 'risk-' || id, CASE WHEN reversed THEN at + interval '10 minutes' END,
                CASE WHEN reversed THEN gen_random_uuid() END, CASE WHEN reversed THEN $2::date END
           FROM unnest($3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::uuid[], $8::bigint[], $9::timestamptz[], $10::bool[])
                AS x(id, voucher_id, type_id, resident_id, merchant_id, amount, at, reversed)`,
        [
          campaignId,
          DAY,
          ids,
          rows.map((r) => r.voucherId),
          rows.map((r) => typeOf(r.amountFen)),
          rows.map((r) => r.residentId),
          rows.map((r) => r.merchantId),
          rows.map((r) => r.amountFen),
          rows.map((r) => new Date(r.at)),
          rows.map((r) => r.reversed ?? false),
        ],
      );
    });
    return ids;
  };
  const typeOf = (amountFen: number) => (amountFen >= 10000 ? thresholdTypes.high : thresholdTypes.low);

  /** `n` honest redemptions: spread over ten hours, residents who shop everywhere, one in twenty soon after the claim. */
  const honest = (merchantId: string, n: number): Redemption[] =>
    Array.from({ length: n }, (_, i) => ({
      merchantId,
      amountFen: AMOUNTS[i % AMOUNTS.length],
      at: DAY_START + 10 * HOUR + Math.floor((i * 10 * HOUR) / n),
      claimDelayMs: i % 20 === 0 ? 10 * 60_000 : 2 * 24 * HOUR,
      residentId: honestPool[(i + seq) % honestPool.length],
      voucherId: randomUUID(),
      reversed: i % 100 === 50,
    }));
  const fresh = (merchantId: string, n: number, make: (i: number) => Partial<Redemption>): Redemption[] =>
    Array.from({ length: n }, (_, i) => ({
      merchantId,
      amountFen: AMOUNTS[(i * 5) % AMOUNTS.length],
      at: DAY_START + 11 * HOUR + i * 60_000,
      claimDelayMs: 2 * 24 * HOUR,
      residentId: randomUUID(),
      voucherId: randomUUID(),
      ...make(i),
    }));

  const flagsOf = async (merchantId: string | null, token = tokens.auditor) => {
    const reply = await api.call('GET', `/risk/flags?limit=200${merchantId ? `&merchantId=${merchantId}` : ''}`, {
      token,
    });
    expect(reply.status).toBe(200);
    return reply.body.items as { id: string; rule: string; severity: string; status: string; countyCode: string }[];
  };

  beforeAll(async () => {
    api = await startApi();
    scorer = new RiskScorer(api.db);
    tokens = {
      admin: await api.login('admin'),
      approver: await api.login('approver'),
      hanbin: await api.login('hanbin-admin'),
      xunyang: await api.login('xunyang-admin'),
      finance: await api.login('finance'),
      finance2: await api.login('finance2'),
      auditor: await api.login('auditor'),
    };
    [{ id: campaignId }] = await api.db.query(`SELECT id FROM campaigns ORDER BY code LIMIT 1`);
    const types: { id: string }[] = await api.db.query(
      `INSERT INTO voucher_types (campaign_id, name, kind, threshold_fen, discount_fen, validity_kind, valid_from, valid_until)
       VALUES ($1, '满30减5', 'threshold', 3000, 500, 'fixed_window', now() - interval '60 days', now() + interval '30 days'),
              ($1, '满100减5', 'threshold', 10000, 500, 'fixed_window', now() - interval '60 days', now() + interval '30 days')
       RETURNING id`,
      [campaignId],
    );
    thresholdTypes = { low: types[0].id, high: types[1].id };

    // The category's city: twelve honest merchants of a hundred redemptions each.
    for (let i = 0; i < 12; i++) await insert(honest(await newMerchant(), 100));
    // Each planted pattern, and a control of the same volume that is honest.
    for (const name of ['band', 'burst', 'collusion', 'reversals', 'bandElsewhere']) {
      merchants[name] = await newMerchant(name === 'bandElsewhere' ? 'xunyang' : 'hanbin');
      merchants[`${name}Control`] = await newMerchant();
    }
    await insert([
      ...honest(merchants.band, 100),
      ...fresh(merchants.band, 60, (i) => ({ amountFen: 10000 + ((i * 37) % 499) })),
      ...honest(merchants.bandControl, 160),
      ...honest(merchants.bandElsewhere, 100),
      ...fresh(merchants.bandElsewhere, 60, (i) => ({ amountFen: 10000 + ((i * 53) % 499) })),
      ...honest(merchants.bandElsewhereControl, 160),
      ...honest(merchants.burst, 100),
      ...fresh(merchants.burst, 40, (i) => ({ at: DAY_START + 14 * HOUR + i * 6_000 })),
      ...honest(merchants.burstControl, 140),
      ...honest(merchants.collusion, 100),
      ...fresh(merchants.collusion, 70, () => ({ claimDelayMs: 5 * 60_000 })),
      ...honest(merchants.collusionControl, 170),
      ...honest(merchants.reversals, 100),
      ...fresh(merchants.reversals, 20, () => ({ reversed: true })),
      ...honest(merchants.reversalsControl, 120),
    ]);
    // Vouchers reversed at the reversals merchant, then redeemed at its control within the hour.
    const rebounds = fresh(merchants.reversals, 4, (i) => ({ reversed: true, at: DAY_START + 15 * HOUR + i * 60_000 }));
    await insert(rebounds);
    await insert(rebounds.map((r) => ({ ...r, merchantId: merchants.reversalsControl, at: r.at + HOUR })));
    // Identities: twelve verified from one device (a farm); forty from one carrier range, each on its own phone; a family of two.
    const now = Date.now();
    const sources = [
      ...Array.from({ length: 12 }, (_, i) => ['f'.repeat(64), '198.51.100.0/24', now - i * 60_000]),
      ...Array.from({ length: 40 }, (_, i) => [
        randomUUID().replace(/-/g, '').padEnd(64, '0'),
        '10.1.2.0/24',
        now - i * 30_000,
      ]),
      ['a'.repeat(64), '10.9.9.0/24', now],
      ['a'.repeat(64), '10.9.9.0/24', now - 60_000],
    ] as [string, string, number][];
    await api.db.query(
      `INSERT INTO risk_verification_sources (identity_id, resident_id, device_hash, address_prefix, verified_at)
       SELECT gen_random_uuid(), gen_random_uuid(), d, a, t FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS x(d, a, t)`,
      [sources.map((s) => s[0]), sources.map((s) => s[1]), sources.map((s) => new Date(s[2]))],
    );
    await scorer.catchUp(true);
    await scorer.score();
  });

  afterAll(() => api?.close());

  it.each([
    ['band', 'threshold_band'],
    ['burst', 'burst'],
    ['collusion', 'claim_collusion'],
    ['reversals', 'reversals'],
  ])('flags the planted %s pattern high and leaves its control of the same volume alone', async (name, rule) => {
    const flags = await flagsOf(merchants[name]);
    expect(flags).toEqual(
      expect.arrayContaining([expect.objectContaining({ rule, severity: 'high', status: 'open' })]),
    );
    expect(await flagsOf(merchants[`${name}Control`])).toEqual([]);
  });

  it('gives the evidence: the figures against the category and the redemptions involved', async () => {
    const [band] = (await flagsOf(merchants.band)).filter((f) => f.rule === 'threshold_band');
    const reply = await api.call('GET', `/risk/flags/${band.id}`, { token: tokens.auditor });
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ ruleVersion: 1, businessDay: DAY, merchantId: merchants.band });
    const evidence = reply.body.evidence as { figures: Record<string, number>; redemptionIds: string[] };
    expect(evidence.figures).toMatchObject({ thresholdOrders: 160, bandOrders: 68 });
    expect(evidence.figures.share).toBeGreaterThan(0.4);
    expect(evidence.figures.baselineShare).toBeLessThan(0.15);
    expect(evidence.redemptionIds).toHaveLength(20);
    const [reversal] = (await flagsOf(merchants.reversals)).filter((f) => f.rule === 'reversals');
    const detail = await api.call('GET', `/risk/flags/${reversal.id}`, { token: tokens.auditor });
    expect((detail.body.evidence as { figures: Record<string, number> }).figures).toMatchObject({ rebounds: 4 });
  });

  it('flags an identity farm on one device high, and a carrier address range low at most', async () => {
    const farm = (await flagsOf(null)).filter((f) => f.rule === 'identity_farm');
    const reply = await Promise.all(farm.map((f) => api.call('GET', `/risk/flags/${f.id}`, { token: tokens.auditor })));
    const bySource = reply.map((r) => ({
      source: (r.body.evidence as { source: string }).source,
      severity: r.body.severity,
      identities: (r.body.evidence as { figures: { identities: number } }).figures.identities,
    }));
    expect(bySource).toEqual(
      expect.arrayContaining([
        { source: 'device', severity: 'high', identities: 12 },
        { source: 'address', severity: 'low', identities: 40 },
      ]),
    );
    // The family's device (two identities) and the farm's own range (twelve) raise nothing.
    expect(bySource).toHaveLength(2);
  });

  it('counts replayed events once: scoring the day again gives the same figures and the same flags', async () => {
    const snapshot = async () => ({
      days: await api.db.query(
        `SELECT merchant_id, redemptions, threshold_orders, band_orders, quick_redemptions, reversals, rebounds
           FROM risk_merchant_days ORDER BY merchant_id, business_day`,
      ),
      flags: await api.db.query(`SELECT id, rule_code, subject_key, severity, summary FROM risk_flags ORDER BY id`),
    });
    const before = await snapshot();
    const all: { id: string; reversed: boolean }[] = await api.db.query(
      `SELECT id, reversed_at IS NOT NULL AS reversed FROM redemptions WHERE business_day = $1`,
      [DAY],
    );
    await scorer.fold(all.map((r) => ({ redemptionId: r.id, kind: 'redeemed' })));
    await scorer.fold(all.filter((r) => r.reversed).map((r) => ({ redemptionId: r.id, kind: 'reversed' })));
    await scorer.catchUp(true);
    await api.db.query(`UPDATE risk_merchant_days SET scored_at = NULL`);
    await scorer.score();
    expect(await snapshot()).toEqual(before);
  });

  it('shows a county admin only their county, auditors everything', async () => {
    const hanbin = await flagsOf(null, tokens.hanbin);
    const xunyang = await flagsOf(null, tokens.xunyang);
    expect(hanbin.length).toBeGreaterThan(0);
    expect(hanbin.every((f) => f.countyCode === 'hanbin')).toBe(true);
    expect(xunyang.map((f) => f.rule)).toEqual(['threshold_band']);
    const all = await flagsOf(null);
    expect(all.length).toBe(hanbin.length + xunyang.length + 2);
    expect((await api.call('GET', `/risk/flags/${xunyang[0].id}`, { token: tokens.hanbin })).status).toBe(404);
    expect((await api.call('GET', `/risk/merchants/${merchants.bandElsewhere}`, { token: tokens.hanbin })).status).toBe(
      404,
    );
  });

  it('holds the statements of a flagged merchant until two people clear the flag', async () => {
    const statement = await submittedStatement(merchants.band);
    const held = await api.call('POST', `/settlement/statements/${statement}/approve`, { token: tokens.finance });
    const [flag] = (await flagsOf(merchants.band)).filter((f) => f.severity === 'high');
    expect(held.status).toBe(409);
    expect(held.body).toMatchObject({ code: 'SETTLEMENT_HELD', flagId: flag.id });
    const summary = await api.call('GET', `/risk/merchants/${merchants.band}`, { token: tokens.finance });
    expect(summary.body).toMatchObject({ held: true, holdingFlagId: flag.id });
    expect((summary.body.orderAmounts as unknown[]).length).toBeGreaterThan(0);

    const reason = { reason: '实地核查：套餐定价 100 元' };
    expect(
      (await api.call('POST', `/risk/flags/${flag.id}/clear`, { token: tokens.approver, body: reason })).body.code,
    ).toBe('RISK_FLAG_INVALID_TRANSITION');
    const proposed = await api.call('POST', `/risk/flags/${flag.id}/propose-clear`, {
      token: tokens.hanbin,
      body: reason,
    });
    expect(proposed.body).toMatchObject({ status: 'clearing', proposedReason: reason.reason });
    // Still held while only proposed; the proposer cannot confirm their own proposal.
    expect(
      (await api.call('POST', `/settlement/statements/${statement}/approve`, { token: tokens.finance })).body.code,
    ).toBe('SETTLEMENT_HELD');
    const self = await api.call('POST', `/risk/flags/${flag.id}/clear`, { token: tokens.hanbin, body: reason });
    expect({ status: self.status, code: self.body.code }).toEqual({ status: 403, code: 'APPROVER_IS_MAKER' });
    const cleared = await api.call('POST', `/risk/flags/${flag.id}/clear`, { token: tokens.admin, body: reason });
    expect(cleared.body).toMatchObject({ status: 'cleared', decidedReason: reason.reason });
    const approved = await api.call('POST', `/settlement/statements/${statement}/approve`, { token: tokens.finance });
    expect({ status: approved.status, state: approved.body.status }).toEqual({ status: 200, state: 'approved' });
    const audit: { action: string }[] = await api.db.query(
      `SELECT action FROM audit_log WHERE entity_id = $1 ORDER BY id`,
      [flag.id],
    );
    expect(audit.map((a) => a.action)).toEqual(['risk.flag.propose_clear', 'risk.flag.clear']);
  });

  it('confirms a cash-out: the merchant is suspended, its subsidy not payable, and the books reconcile', async () => {
    const [flag] = (await flagsOf(merchants.collusion)).filter((f) => f.rule === 'claim_collusion');
    const statement = await submittedStatement(merchants.collusion);
    const [{ total }]: { total: string }[] = await api.db.query(
      `SELECT total_fen AS total FROM settlement_statements WHERE id = $1`,
      [statement],
    );
    const confirmed = await api.call('POST', `/risk/flags/${flag.id}/confirm`, {
      token: tokens.hanbin,
      body: { reason: '居民证实收现金', suspendMerchant: true },
    });
    expect(confirmed.body).toMatchObject({ status: 'confirmed', merchantSuspended: true });
    const [merchant]: { status: string }[] = await api.db.query(`SELECT status FROM merchants WHERE id = $1`, [
      merchants.collusion,
    ]);
    expect(merchant.status).toBe('suspended');
    const ledger: { amount_fen: string; to_account: string }[] = await api.db.query(
      `SELECT amount_fen, to_account FROM budget_ledger WHERE entry_key LIKE 'withhold:' || $1 || ':%'`,
      [statement],
    );
    expect(ledger).toEqual([{ amount_fen: total, to_account: `withheld:risk-flag:${flag.id}` }]);
    const summary = await api.call('GET', `/risk/merchants/${merchants.collusion}`, { token: tokens.auditor });
    expect(summary.body).toMatchObject({ held: true, withheldFen: Number(total) });
    // A confirmed cash-out stays held: finance can never approve it, so it is never paid.
    expect(
      (await api.call('POST', `/settlement/statements/${statement}/approve`, { token: tokens.finance })).body.code,
    ).toBe('SETTLEMENT_HELD');
    const reconciliation = api.app.get(Reconciliation);
    const withheld = (report: { differences: { check: string }[] }) =>
      report.differences.filter((d) => d.check === 'withheld_statements');
    expect(withheld(await reconciliation.run())).toEqual([]);
    // Paying it anyway (behind the api's back) is a difference the reconciliation reports.
    await api.db.query(`UPDATE settlement_statements SET status = 'approved', approved_by_id = $2 WHERE id = $1`, [
      statement,
      randomUUID(),
    ]);
    expect(withheld(await reconciliation.run())).toHaveLength(1);
  });

  /** A statement of the day with a line per redemption of the merchant not reversed, submitted by `finance2`. */
  async function submittedStatement(merchantId: string): Promise<string> {
    const [{ id: financeId }]: { id: string }[] = await api.db.query(
      `SELECT id FROM staff_accounts WHERE username = 'finance2'`,
    );
    return api.db.transaction(async (m) => {
      await m.query(`INSERT INTO settled_days (business_day, settled_at) VALUES ($1, now()) ON CONFLICT DO NOTHING`, [
        DAY,
      ]);
      const [{ id }]: { id: string }[] = await m.query(
        `INSERT INTO settlement_statements (merchant_id, business_day, total_fen, redemption_count, adjustment_count)
         SELECT $1, $2, sum(subsidy_fen), count(*), 0 FROM redemptions
          WHERE merchant_id = $1 AND business_day = $2 AND reversed_at IS NULL RETURNING id`,
        [merchantId, DAY],
      );
      await m.query(
        `INSERT INTO settlement_lines (redemption_id, kind, statement_id, amount_fen, redemption_day)
         SELECT id, 'redemption', $3, subsidy_fen, business_day FROM redemptions
          WHERE merchant_id = $1 AND business_day = $2 AND reversed_at IS NULL`,
        [merchantId, DAY, id],
      );
      await m.query(
        `UPDATE settlement_statements SET status = 'submitted', submitted_by_id = $2, submitted_at = now() WHERE id = $1`,
        [id, financeId],
      );
      return id;
    });
  }
});
