import { createHash, randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import {
  Campaign,
  CampaignSpend,
  CampaignStatus,
  Claim,
  DiscountKind,
  Identity,
  Merchant,
  MerchantStatus,
  OfferItem,
  Redemption,
  Resident,
  Round,
  RoundMode,
  RoundOffer,
  StaffAccount,
  StaffRole,
  ValidityKind,
  Voucher,
  VoucherStatus,
  VoucherType,
} from '@quan/data';
import { businessDayStart, fen, generateShortCode, previousBusinessDay, yuanToFen } from '@quan/domain';
import { ReportFolder } from '@quan/reports';
import { SettlementRun } from '@quan/settlement';
import { SETTLED_CAMPAIGN_CODE } from './demo-city';
import { HISTORY_DAYS, seedHistory } from './history';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Merchants the residents redeemed at, and redemptions per merchant, on the settled day. */
const MERCHANTS = 8;
const REDEMPTIONS_PER_MERCHANT = 5;
const THRESHOLD_FEN = yuanToFen(50);
const DISCOUNT_FEN = yuanToFen(10);

export interface SettledDaySeed {
  businessDay: string;
  statements: number;
  redemptions: number;
  subsidyFen: number;
}

/** A 64-hex-digit stand-in for a keyed hash: plain SHA-256 of a demo label, which no real login's keyed hash can equal. */
const demoHash = (label: string): string => createHash('sha256').update(`quan-demo:${label}`).digest('hex');

/**
 * 秦乐购·第六期消费券, the phase before the demo's running one: ended, two weeks of daily first-come rounds whose
 * residents redeemed their vouchers (满50减10, the bureau pays all of it) at merchants of every county and
 * category (`seedHistory`), and, on its last business day (the day before the first seeding), residents who
 * redeemed at eight demo merchants. Every one of those days is then settled by SettlementRun, the code the
 * worker runs at night, so finance finds open statements to submit and approve, and the reports' aggregates
 * are fed (`ReportFolder`), so the dashboard shows the history at first start. Run after seedDemoCity (it
 * takes the demo's accounts and merchants). Idempotent: the campaign code is the natural key of everything it
 * writes, and a day already settled is not settled again.
 */
export async function seedSettledDay(
  dataSource: DataSource,
  config: AppConfig,
  now = new Date(),
): Promise<SettledDaySeed> {
  const existing = await dataSource.getRepository(Campaign).findOneBy({ code: SETTLED_CAMPAIGN_CODE });
  const campaignId =
    existing?.id ?? (await dataSource.transaction((manager) => seedRedemptions(manager, previousBusinessDay(now))));
  const [{ day }]: { day: string }[] = await dataSource.query(
    `SELECT to_char(max(business_day), 'YYYY-MM-DD') AS day FROM redemptions WHERE campaign_id = $1`,
    [campaignId],
  );
  const unsettled: { day: string }[] = await dataSource.query(
    `SELECT DISTINCT to_char(business_day, 'YYYY-MM-DD') AS day FROM redemptions r
      WHERE campaign_id = $1 AND NOT EXISTS (SELECT 1 FROM settled_days s WHERE s.business_day = r.business_day) ORDER BY 1`,
    [campaignId],
  );
  for (const { day: next } of unsettled) await new SettlementRun(dataSource, config).settleDay(next);
  if (!existing) {
    // Written without outbox events, like any bulk load: folded in at once, so the dashboard has its history.
    const reports = new ReportFolder(dataSource, config);
    await reports.catchUp(true);
    await reports.foldClaims();
  }
  const [figures]: { statements: number; redemptions: number; subsidy: string }[] = await dataSource.query(
    `SELECT count(DISTINCT s.id)::int AS statements, count(l.*)::int AS redemptions, coalesce(sum(l.amount_fen), 0)::text AS subsidy
       FROM settlement_statements s JOIN settlement_lines l ON l.statement_id = s.id
      WHERE s.business_day = $1 AND l.redemption_id IN (SELECT id FROM redemptions WHERE campaign_id = $2)`,
    [day, campaignId],
  );
  return {
    businessDay: day,
    statements: figures.statements,
    redemptions: figures.redemptions,
    subsidyFen: fen(figures.subsidy),
  };
}

/** The ended campaign with its claims, vouchers and redemptions of `day`, as the claim and redemption paths commit them. */
async function seedRedemptions(manager: EntityManager, day: string): Promise<string> {
  const dayStart = businessDayStart(day);
  const author = await manager.findOneByOrFail(StaffAccount, { username: 'admin' });
  const approver = await manager.findOneByOrFail(StaffAccount, { username: 'approver' });
  const merchants = await manager.find(Merchant, {
    where: { status: MerchantStatus.Approved },
    order: { licenceNo: 'ASC' },
    take: MERCHANTS,
  });
  const cashiers = await Promise.all(
    merchants.map((merchant) =>
      manager.findOneByOrFail(StaffAccount, { merchantId: merchant.id, role: StaffRole.Cashier }),
    ),
  );
  const startsAt = new Date(dayStart.getTime() - (HISTORY_DAYS + 1) * DAY_MS);
  const endsAt = new Date(dayStart.getTime() + DAY_MS);

  const campaign = await manager.save(
    manager.create(Campaign, {
      code: SETTLED_CAMPAIGN_CODE,
      name: '秦乐购·第六期消费券',
      scopeCountyCode: null,
      budgetFen: yuanToFen(500_000),
      status: CampaignStatus.Ended,
      startsAt,
      endsAt,
      perPersonLimit: 1,
      createdById: author.id,
      makerIds: [author.id],
      approvedById: approver.id,
      approvedAt: startsAt,
    }),
  );
  const type = await manager.save(
    manager.create(VoucherType, {
      campaignId: campaign.id,
      name: '满50减10',
      kind: DiscountKind.Threshold,
      thresholdFen: THRESHOLD_FEN,
      discountFen: DISCOUNT_FEN,
      categoryCodes: [],
      validityKind: ValidityKind.FixedWindow,
      validFrom: startsAt,
      validUntil: endsAt,
      bureauShareBp: 10000,
    }),
  );
  const count = MERCHANTS * REDEMPTIONS_PER_MERCHANT;
  const round = await manager.save(
    manager.create(Round, {
      campaignId: campaign.id,
      name: '第一场',
      mode: RoundMode.FirstCome,
      opensAt: new Date(startsAt.getTime() + 10 * HOUR_MS),
      closesAt: new Date(startsAt.getTime() + 3 * DAY_MS),
    }),
  );
  const offer = await manager.save(
    manager.create(RoundOffer, { roundId: round.id, name: '满50减10 单张', stock: 1000, issued: count }),
  );
  await manager.save(manager.create(OfferItem, { offerId: offer.id, voucherTypeId: type.id, quantity: 1 }));

  const people = Array.from({ length: count }, (_, n) => ({
    n,
    identityId: randomUUID(),
    residentId: randomUUID(),
    claimId: randomUUID(),
    voucherId: randomUUID(),
  }));
  await manager.insert(
    Identity,
    people.map((p) => ({ id: p.identityId, idNumberHash: demoHash(`identity-${p.n}`), nameMasked: `居民${p.n + 1}*` })),
  );
  await manager.insert(
    Resident,
    people.map((p) => ({
      id: p.residentId,
      phoneHash: demoHash(`phone-${p.n}`),
      phoneMasked: `139****${String(p.n + 1).padStart(4, '0')}`,
      identityId: p.identityId,
    })),
  );
  const claimedAt = (n: number) => new Date(round.opensAt.getTime() + n * 1000);
  await manager.insert(
    Claim,
    people.map((p) => ({
      id: p.claimId,
      campaignId: campaign.id,
      roundId: round.id,
      offerId: offer.id,
      residentId: p.residentId,
      identityId: p.identityId,
      personSeq: 1,
      idempotencyKey: null,
      claimedAt: claimedAt(p.n),
    })),
  );
  await manager.insert(
    Voucher,
    people.map((p) => ({
      id: p.voucherId,
      claimId: p.claimId,
      campaignId: campaign.id,
      voucherTypeId: type.id,
      residentId: p.residentId,
      shortCode: generateShortCode(),
      status: VoucherStatus.Redeemed,
      validFrom: startsAt,
      validUntil: endsAt,
      claimedAt: claimedAt(p.n),
    })),
  );
  await manager.insert(
    Redemption,
    people.map((p) => {
      const merchant = p.n % MERCHANTS;
      return {
        id: randomUUID(),
        voucherId: p.voucherId,
        campaignId: campaign.id,
        voucherTypeId: type.id,
        residentId: p.residentId,
        merchantId: merchants[merchant].id,
        cashierId: cashiers[merchant].id,
        orderAmountFen: fen(THRESHOLD_FEN + (p.n % 7) * yuanToFen(13)),
        discountFen: DISCOUNT_FEN,
        subsidyFen: DISCOUNT_FEN,
        merchantFundedFen: fen(0),
        businessDay: day,
        redeemedAt: new Date(dayStart.getTime() + 10 * HOUR_MS + p.n * 7 * 60 * 1000),
        idempotencyKey: `demo-${day}-${p.n}`,
      };
    }),
  );
  await seedHistory(manager, { id: campaign.id, voucherTypeId: type.id, validFrom: startsAt, validUntil: endsAt }, day);
  const [spent]: { fen: string }[] = await manager.query(
    `SELECT coalesce(sum(subsidy_fen), 0)::text AS fen FROM redemptions WHERE campaign_id = $1 AND reversed_at IS NULL`,
    [campaign.id],
  );
  await manager.insert(CampaignSpend, {
    campaignId: campaign.id,
    budgetFen: campaign.budgetFen,
    redeemedSubsidyFen: fen(spent.fen),
  });
  return campaign.id;
}
