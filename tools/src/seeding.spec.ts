import { DataSource } from 'typeorm';
import { Campaign, CampaignStatus, createDataSource, Merchant, MerchantStatus, Round, StaffAccount, StaffRole } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity } from '@quan/demo';
import { isValidLicenceNo } from '@quan/domain';
import { verifyPassword } from '@quan/platform';
import { createTestEnvironment, TestEnvironment } from '@quan/testing';

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
    const result = await seedDemoCity(dataSource, now);
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
    await seedDemoCity(dataSource);
    expect(await counts()).toEqual(before);
    expect((await dataSource.getRepository(Merchant).findOneByOrFail({ id: merchant.id })).status).toBe(MerchantStatus.Suspended);
  });

  it('re-opens the first round when started again after it closed, even once the campaign clock ended the campaign', async () => {
    await dataSource.getRepository(Campaign).update({ code: 'QLG-07' }, { status: CampaignStatus.Ended });
    const later = new Date(Date.now() + 90 * 24 * 3600 * 1000);
    const result = await seedDemoCity(dataSource, later);
    expect(result.openRound.opensAt.getTime()).toBeLessThanOrEqual(later.getTime());
    expect(result.openRound.closesAt.getTime()).toBeGreaterThan(later.getTime());
    const [first, second] = await dataSource.getRepository(Round).find({ order: { opensAt: 'ASC' } });
    expect(second.opensAt.getTime()).toBeGreaterThanOrEqual(first.closesAt.getTime());
    expect((await dataSource.getRepository(Campaign).findOneByOrFail({ code: 'QLG-07' })).status).toBe(CampaignStatus.Published);
  });
});
