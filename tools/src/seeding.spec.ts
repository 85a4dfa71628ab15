import { DataSource } from 'typeorm';
import {
  Campaign,
  CampaignStatus,
  createDataSource,
  Merchant,
  MerchantStatus,
  Round,
  StaffAccount,
  StaffRole,
} from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity, SETTLED_CAMPAIGN_CODE, seedSettledDay } from '@quan/demo';
import { isValidLicenceNo, previousBusinessDay } from '@quan/domain';
import { verifyPassword } from '@quan/platform';
import { createTestEnvironment, TestEnvironment } from '@quan/testing';
import { describeSeed, seedDatabase } from './seeding';

describe('demo city seed', () => {
  let env: TestEnvironment;
  let dataSource: DataSource;

  beforeAll(async () => {
    env = await createTestEnvironment();
    dataSource = createDataSource(env.config);
    await dataSource.initialize();
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await env?.dispose();
  });

  const counts = async () => ({
    merchants: await dataSource.getRepository(Merchant).count(),
    staff: await dataSource.getRepository(StaffAccount).count(),
    campaigns: await dataSource.getRepository(Campaign).count(),
    rounds: await dataSource.getRepository(Round).count(),
  });

  it('seeds counties, categories, merchants with cashiers, staff and a published campaign whose first round is open now', async () => {
    const now = new Date();
    const result = await seedDemoCity(dataSource, env.config, now);
    expect(result.counties).toBe(12);
    expect(result.categories).toBe(7);
    expect(result.merchants).toBeGreaterThanOrEqual(200);
    expect(result.openRound.opensAt.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(result.openRound.closesAt.getTime()).toBeGreaterThan(now.getTime());

    const campaign = await dataSource.getRepository(Campaign).findOneByOrFail({ code: 'QLG-07' });
    expect(campaign.name).toBe('秦乐购·第七期消费券');
    expect(campaign.status).toBe(CampaignStatus.Published);
    expect(campaign.approvedById).not.toBe(campaign.createdById);
    expect(await dataSource.getRepository(Campaign).countBy({ status: CampaignStatus.Draft })).toBe(3);

    const merchants = await dataSource.getRepository(Merchant).find();
    expect(merchants.every((m) => isValidLicenceNo(m.licenceNo))).toBe(true);
    expect(merchants.some((m) => m.aboveQuota)).toBe(true);
    const approved = merchants.filter((m) => m.status === MerchantStatus.Approved);
    expect(await dataSource.getRepository(StaffAccount).countBy({ role: StaffRole.Cashier })).toBe(approved.length);

    const admin = await dataSource.getRepository(StaffAccount).findOneByOrFail({ username: 'admin' });
    expect(admin.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await verifyPassword(admin.passwordHash, DEMO_PASSWORD)).toBe(true);
    expect(await verifyPassword(admin.passwordHash, 'wrong')).toBe(false);
  });

  it('does not duplicate anything when run again, and keeps what operators changed', async () => {
    const before = await counts();
    const merchant = await dataSource.getRepository(Merchant).findOneByOrFail({ status: MerchantStatus.Approved });
    await dataSource.getRepository(Merchant).update(merchant.id, { status: MerchantStatus.Suspended });
    await seedDemoCity(dataSource, env.config);
    expect(await counts()).toEqual(before);
    expect((await dataSource.getRepository(Merchant).findOneByOrFail({ id: merchant.id })).status).toBe(
      MerchantStatus.Suspended,
    );
  });

  it('re-opens the first round when started again after it closed, even once the campaign clock ended the campaign', async () => {
    await dataSource.getRepository(Campaign).update({ code: 'QLG-07' }, { status: CampaignStatus.Ended });
    const later = new Date(Date.now() + 90 * 24 * 3600 * 1000);
    const result = await seedDemoCity(dataSource, env.config, later);
    expect(result.openRound.opensAt.getTime()).toBeLessThanOrEqual(later.getTime());
    expect(result.openRound.closesAt.getTime()).toBeGreaterThan(later.getTime());
    // The lottery round's registration is open again too.
    expect(result.lotteryRound.opensAt.getTime()).toBeLessThanOrEqual(later.getTime());
    expect(result.lotteryRound.closesAt.getTime()).toBeGreaterThan(later.getTime());
    const provincial = await dataSource.getRepository(Campaign).findOneByOrFail({ code: 'QLG-07' });
    const [first, second] = await dataSource
      .getRepository(Round)
      .find({ where: { campaignId: provincial.id }, order: { opensAt: 'ASC' } });
    expect(second.opensAt.getTime()).toBeGreaterThanOrEqual(first.closesAt.getTime());
    expect((await dataSource.getRepository(Campaign).findOneByOrFail({ code: 'QLG-07' })).status).toBe(
      CampaignStatus.Published,
    );
  });

  // Last: it runs the whole seed of `npm start`, which ends with a settled day, over what the tests above left.
  const books = async (day: string) =>
    (
      await dataSource.query(
        `SELECT (SELECT count(*)::int FROM redemptions WHERE business_day = $1) AS redemptions,
            (SELECT count(*)::int FROM vouchers v JOIN redemptions d ON d.voucher_id = v.id AND d.reversed_at IS NULL
              WHERE v.status = 'redeemed' AND d.business_day = $1) AS "redeemedVouchers",
            (SELECT count(*)::int FROM settlement_statements WHERE business_day = $1 AND status = 'open') AS statements,
            (SELECT count(*)::int FROM settlement_lines WHERE redemption_day = $1) AS lines,
            (SELECT coalesce(sum(total_fen), 0)::int FROM settlement_statements WHERE business_day = $1) AS "statementFen",
            (SELECT coalesce(sum(subsidy_fen), 0)::int FROM redemptions WHERE business_day = $1) AS "subsidyFen",
            (SELECT coalesce(sum(redeemed_subsidy_fen), 0) FROM campaign_spend)
              = (SELECT coalesce(sum(subsidy_fen), 0) FROM redemptions WHERE reversed_at IS NULL) AS "spendMatches",
            (SELECT count(*)::int FROM vouchers v JOIN claims c ON c.id = v.claim_id JOIN residents r ON r.id = c.resident_id AND r.id = v.resident_id
               JOIN identities i ON i.id = c.identity_id JOIN redemptions d ON d.voucher_id = v.id AND d.reversed_at IS NULL
              WHERE d.business_day = $1) AS "tracedVouchers",
            (SELECT count(*)::int FROM settled_days WHERE business_day = $1) AS "settledDays",
            (SELECT count(*)::int FROM campaigns WHERE code = $2) AS campaigns`,
        [day, SETTLED_CAMPAIGN_CODE],
      )
    )[0];

  it('ends with the redemptions of a past business day settled through SettlementRun: open statements that add up', async () => {
    const seed = await seedDatabase(env.config);
    const yesterday = previousBusinessDay(new Date());
    expect(seed.settledDay).toEqual({ businessDay: yesterday, statements: 8, redemptions: 40, subsidyFen: 40 * 1000 });
    expect(await books(yesterday)).toEqual({
      redemptions: 40,
      redeemedVouchers: 40,
      statements: 8,
      lines: 40,
      statementFen: 40000,
      subsidyFen: 40000,
      spendMatches: true,
      tracedVouchers: 40,
      settledDays: 1,
      campaigns: 1,
    });
    expect(await dataSource.getRepository(Campaign).findOneByOrFail({ code: SETTLED_CAMPAIGN_CODE })).toMatchObject({
      status: CampaignStatus.Ended,
    });
    expect(describeSeed(seed)).toContain(`settled day: ${yesterday}, 8 open statements of 40 redemptions`);
  });

  it('seeds two weeks of claims and redemptions across every county and category, settled and folded into the reports', async () => {
    const yesterday = previousBusinessDay(new Date());
    const [history] = await dataSource.query(
      `SELECT count(DISTINCT r.business_day)::int AS days, count(DISTINCT m.county_code)::int AS counties, count(DISTINCT m.category_code)::int AS categories,
              count(*) FILTER (WHERE r.reversed_at IS NOT NULL)::int AS reversed,
              (SELECT count(DISTINCT (claimed_at AT TIME ZONE 'Asia/Shanghai')::date)::int FROM claims) AS "claimDays",
              (SELECT count(*)::int FROM settled_days) AS "settledDays", min(r.business_day) < $1::date - 10 AS "twoWeeks"
         FROM redemptions r JOIN merchants m ON m.id = r.merchant_id`,
      [yesterday],
    );
    expect(history).toEqual({
      days: 13,
      counties: 12,
      categories: 7,
      reversed: expect.any(Number),
      claimDays: 13,
      settledDays: 13,
      twoWeeks: true,
    });
    expect(history.reversed).toBeGreaterThan(0);
    // Every day's statements add up to its lines, and the reports' aggregates to the redemptions.
    const [books] = await dataSource.query(
      `SELECT (SELECT sum(subsidy_fen) FROM report_redemption_days) = (SELECT sum(subsidy_fen) FROM redemptions WHERE reversed_at IS NULL) AS reports,
              (SELECT sum(redemptions) FROM report_redemption_days) = (SELECT count(*) FROM redemptions WHERE reversed_at IS NULL) AS "reportCount",
              (SELECT sum(claims) FROM report_claim_days) = (SELECT count(*) FROM claims) AS claims,
              (SELECT sum(total_fen) FROM settlement_statements) = (SELECT sum(amount_fen) FROM settlement_lines) AS statements,
              (SELECT sum(amount_fen) FROM settlement_lines) = (SELECT sum(subsidy_fen) FROM redemptions WHERE reversed_at IS NULL) AS settled`,
    );
    expect(books).toEqual({ reports: true, reportCount: true, claims: true, statements: true, settled: true });
  });

  it('does not duplicate the day, its redemptions or its lines when run again, days later', async () => {
    const [{ day }] = await dataSource.query(
      `SELECT to_char(max(business_day), 'YYYY-MM-DD') AS day FROM settled_days`,
    );
    const before = await books(day);
    const [{ settled_at: settledAt }] = await dataSource.query(
      `SELECT settled_at FROM settled_days WHERE business_day = $1`,
      [day],
    );
    await seedDatabase(env.config);
    expect(
      (await seedSettledDay(dataSource, env.config, new Date(Date.now() + 3 * 24 * 3600 * 1000))).businessDay,
    ).toBe(day);
    expect(await books(day)).toEqual(before);
    expect(
      (await dataSource.query(`SELECT settled_at FROM settled_days WHERE business_day = $1`, [day]))[0].settled_at,
    ).toEqual(settledAt);
  });
});
