import { DataSource, EntityManager, In } from 'typeorm';
import { AppConfig } from '@quan/config';
import {
  bankAccountColumns,
  Campaign,
  CampaignStatus,
  Category,
  contactPhoneColumns,
  County,
  DiscountKind,
  FieldCipher,
  Merchant,
  MerchantStatus,
  OfferItem,
  Round,
  RoundMode,
  RoundOffer,
  StaffAccount,
  StaffRole,
  ValidityKind,
  VoucherType,
} from '@quan/data';
import { businessDay, businessDayStart, Fen, licenceCheckCharacter, startOfBusinessDay, yuanToFen } from '@quan/domain';
import { hashPassword } from '@quan/platform';
import {
  CATEGORIES,
  COUNTIES,
  DEMO_PASSWORD,
  LOTTERY_CAMPAIGN_CODE,
  MERCHANTS_PER_COUNTY,
  NAME_PREFIXES,
  PROVINCIAL_CAMPAIGN_CODE,
} from './demo-city';

const DAY_MS = 24 * 3600 * 1000;

export interface DemoLogin {
  username: string;
  role: StaffRole;
  note: string;
}

export interface SeedResult {
  counties: number;
  categories: number;
  merchants: number;
  staff: number;
  campaigns: number;
  openRound: { id: string; name: string; opensAt: Date; closesAt: Date };
  lotteryRound: { id: string; name: string; opensAt: Date; closesAt: Date; drawAt: Date };
  logins: DemoLogin[];
  password: string;
}

/** A licence number with a valid check character, derived from the county's division code and a serial. */
export function demoLicenceNo(division: string, serial: number): string {
  const first17 = `91${division}${String(serial).padStart(9, '0')}`;
  return `${first17}${licenceCheckCharacter(first17)}`;
}

/** The demo schedule relative to a start-up instant: the first round is open from that minute. */
export function demoSchedule(now: Date) {
  const today = startOfBusinessDay(now);
  const roundOneOpens = new Date(Math.floor(now.getTime() / 60000) * 60000 - 60000);
  return {
    campaignStarts: today,
    campaignEnds: new Date(today.getTime() + 60 * DAY_MS),
    roundOne: { opensAt: roundOneOpens, closesAt: new Date(today.getTime() + 7 * DAY_MS) },
    roundTwo: {
      opensAt: new Date(today.getTime() + 14 * DAY_MS + 10 * 3600 * 1000),
      closesAt: new Date(today.getTime() + 21 * DAY_MS),
    },
    voucherValidUntil: new Date(today.getTime() + 60 * DAY_MS),
  };
}

/** Inserts the rows whose natural key is not there yet; rows an operator has since changed are left alone. */
async function insertMissing<T extends object>(
  manager: EntityManager,
  entity: new () => T,
  rows: Partial<T>[],
): Promise<void> {
  if (rows.length > 0)
    await manager
      .createQueryBuilder()
      .insert()
      .into(entity)
      .values(rows as never)
      .orIgnore()
      .execute();
}

function demoMerchants(cipher: FieldCipher): Partial<Merchant>[] {
  const merchants: Partial<Merchant>[] = [];
  COUNTIES.forEach((county, countyIndex) => {
    for (let i = 0; i < MERCHANTS_PER_COUNTY; i += 1) {
      const serial = countyIndex * MERCHANTS_PER_COUNTY + i + 1;
      const category = CATEGORIES[i % CATEGORIES.length];
      const prefix = NAME_PREFIXES[(i + countyIndex) % NAME_PREFIXES.length];
      const word = category.shopWords[Math.floor(i / CATEGORIES.length) % category.shopWords.length];
      merchants.push({
        name: `${county.name.replace(/[区县市]$|示范区$/, '')}${prefix}${word}（${String(serial).padStart(3, '0')}号店）`,
        licenceNo: demoLicenceNo(county.division, 700000 + serial),
        categoryCode: category.code,
        countyCode: county.code,
        address: `${county.name}${prefix}路${(serial % 180) + 1}号`,
        bankName: serial % 2 ? '安康农村商业银行' : '中国建设银行安康分行',
        bankAccountName: `${prefix}${word}`,
        ...bankAccountColumns(cipher, `6217${String(3000000000000 + serial * 7919).padStart(15, '0')}`),
        ...contactPhoneColumns(cipher, `139${String(10000000 + serial * 7919).slice(-8)}`),
        aboveQuota: serial % 7 === 0,
        status: serial % 15 === 0 ? MerchantStatus.Pending : MerchantStatus.Approved,
      });
    }
  });
  return merchants;
}

/**
 * Seeds the demo city. Idempotent: every row has a natural key (code, username, licence number),
 * so running it again updates instead of duplicating, and re-opens the first round if it has closed.
 * Merchants' bank accounts and phones are sealed with the configured data keys.
 */
export async function seedDemoCity(
  dataSource: DataSource,
  keys: Pick<AppConfig, 'DATA_KEYS' | 'DATA_KEY_CURRENT'>,
  now = new Date(),
): Promise<SeedResult> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return dataSource.transaction(async (manager) => {
    await insertMissing(
      manager,
      County,
      COUNTIES.map(({ code, name, kind }, sortOrder) => ({ code, name, kind, sortOrder })),
    );
    await insertMissing(
      manager,
      Category,
      CATEGORIES.map(({ code, name }, sortOrder) => ({ code, name, sortOrder })),
    );
    const demo = demoMerchants(FieldCipher.fromConfig(keys));
    await insertMissing(manager, Merchant, demo);
    const merchants = await manager.find(Merchant, {
      where: { licenceNo: In(demo.map((m) => m.licenceNo!)) },
      order: { licenceNo: 'ASC' },
    });
    const staff: Partial<StaffAccount>[] = [
      { username: 'admin', displayName: '市商务局 管理员', role: StaffRole.CityAdmin },
      { username: 'approver', displayName: '市商务局 复核员', role: StaffRole.CityAdmin },
      {
        username: 'hanbin-admin',
        displayName: '汉滨区商务局 管理员',
        role: StaffRole.CountyAdmin,
        countyCode: 'hanbin',
      },
      {
        username: 'xunyang-admin',
        displayName: '旬阳市商务局 管理员',
        role: StaffRole.CountyAdmin,
        countyCode: 'xunyang',
      },
      { username: 'finance', displayName: '市商务局 财务', role: StaffRole.Finance },
      { username: 'finance2', displayName: '市商务局 财务复核', role: StaffRole.Finance },
      { username: 'auditor', displayName: '市审计 只读', role: StaffRole.Auditor },
      {
        username: 'hanbin-agent',
        displayName: '汉滨区 社区工作人员',
        role: StaffRole.CommunityAgent,
        countyCode: 'hanbin',
      },
    ].map((account) => ({ countyCode: null, merchantId: null, ...account, passwordHash }));
    merchants
      .filter((m) => m.status === MerchantStatus.Approved)
      .forEach((merchant) => {
        const number = merchant.licenceNo.slice(-4, -1);
        staff.push(
          {
            username: `m${number}-admin`,
            displayName: `${merchant.name} 店长`,
            role: StaffRole.MerchantAdmin,
            merchantId: merchant.id,
            countyCode: null,
            passwordHash,
          },
          {
            username: `m${number}-cashier`,
            displayName: `${merchant.name} 收银员`,
            role: StaffRole.Cashier,
            merchantId: merchant.id,
            countyCode: null,
            passwordHash,
          },
        );
      });
    await insertMissing(manager, StaffAccount, staff);

    const author = await manager.findOneByOrFail(StaffAccount, { username: 'admin' });
    const approver = await manager.findOneByOrFail(StaffAccount, { username: 'approver' });
    const openRound = await seedProvincialCampaign(manager, now, author.id, approver.id);
    const lotteryRound = await seedLotteryCampaign(manager, now, author.id, approver.id);
    await seedHolidayDrafts(manager, now, author.id);

    const firstCashier = staff.find((s) => s.role === StaffRole.Cashier)!;
    return {
      counties: await manager.count(County),
      categories: await manager.count(Category),
      merchants: await manager.count(Merchant),
      staff: await manager.count(StaffAccount),
      campaigns: await manager.count(Campaign),
      openRound,
      lotteryRound,
      password: DEMO_PASSWORD,
      logins: [
        { username: 'admin', role: StaffRole.CityAdmin, note: 'city operator, author of campaigns' },
        { username: 'approver', role: StaffRole.CityAdmin, note: 'second city operator, approves (maker-checker)' },
        { username: 'hanbin-admin', role: StaffRole.CountyAdmin, note: '汉滨区 only' },
        { username: 'xunyang-admin', role: StaffRole.CountyAdmin, note: '旬阳市 only' },
        { username: 'finance', role: StaffRole.Finance, note: 'settlements and payouts: submits statements (maker)' },
        {
          username: 'finance2',
          role: StaffRole.Finance,
          note: 'second finance user: approves what finance submitted (checker)',
        },
        { username: 'auditor', role: StaffRole.Auditor, note: 'read-only' },
        {
          username: 'hanbin-agent',
          role: StaffRole.CommunityAgent,
          note: '汉滨区 community agent: registers residents without a smartphone, claims and prints for them',
        },
        {
          username: firstCashier.username!.replace('-cashier', '-admin'),
          role: StaffRole.MerchantAdmin,
          note: firstCashier.displayName!.replace(' 收银员', ''),
        },
        {
          username: firstCashier.username!,
          role: StaffRole.Cashier,
          note: 'same merchant; every approved merchant has mNNN-admin and mNNN-cashier',
        },
      ],
    };
  });
}

/** 秦乐购·第七期消费券: a published city-wide campaign with a 满减 pack, round one open now, round two later. */
async function seedProvincialCampaign(manager: EntityManager, now: Date, authorId: string, approverId: string) {
  const schedule = demoSchedule(now);
  let campaign = await manager.findOneBy(Campaign, { code: PROVINCIAL_CAMPAIGN_CODE });
  if (!campaign) {
    campaign = await manager.save(
      manager.create(Campaign, {
        code: PROVINCIAL_CAMPAIGN_CODE,
        name: '秦乐购·第七期消费券',
        scopeCountyCode: null,
        budgetFen: yuanToFen(5_000_000),
        status: CampaignStatus.Published,
        startsAt: schedule.campaignStarts,
        endsAt: schedule.campaignEnds,
        // Limits count packs (份): one person claims the whole 5-voucher pack once.
        perPersonLimit: 1,
        perPersonRoundLimit: 1,
        perPersonDailyLimit: 1,
        merchantDailyRedemptionLimit: 500,
        merchantDailySubsidyCapFen: yuanToFen(20_000),
        createdById: authorId,
        makerIds: [authorId],
        approvedById: approverId,
        approvedAt: schedule.campaignStarts,
      }),
    );
    const tiers: [threshold: number, discount: number, quantity: number][] = [
      [30, 5, 2],
      [60, 10, 2],
      [120, 20, 1],
    ];
    const types = await manager.save(
      tiers.map(([threshold, discount]) =>
        manager.create(VoucherType, {
          campaignId: campaign!.id,
          name: `满${threshold}减${discount}`,
          kind: DiscountKind.Threshold,
          thresholdFen: yuanToFen(threshold),
          discountFen: yuanToFen(discount) as Fen | null,
          categoryCodes: [],
          validityKind: ValidityKind.FixedWindow,
          validFrom: schedule.campaignStarts,
          validUntil: schedule.voucherValidUntil,
          bureauShareBp: 10000,
        }),
      ),
    );
    const [roundOne, roundTwo] = await manager.save([
      manager.create(Round, {
        campaignId: campaign.id,
        name: '第一场',
        mode: RoundMode.FirstCome,
        ...schedule.roundOne,
      }),
      manager.create(Round, {
        campaignId: campaign.id,
        name: '第二场',
        mode: RoundMode.FirstCome,
        ...schedule.roundTwo,
      }),
    ]);
    await manager.update(Round, roundOne.id, { rollForwardToId: roundTwo.id });
    for (const [round, stock] of [
      [roundOne, 20000],
      [roundTwo, 20000],
    ] as const) {
      const offer = await manager.save(
        manager.create(RoundOffer, { roundId: round.id, name: '满减券包（2×5 + 2×10 + 1×20 元）', stock }),
      );
      await manager.save(
        types.map((type, i) =>
          manager.create(OfferItem, { offerId: offer.id, voucherTypeId: type.id, quantity: tiers[i][2] }),
        ),
      );
    }
  }
  const rounds = await manager.find(Round, { where: { campaignId: campaign.id }, order: { opensAt: 'ASC' } });
  if (rounds[0].opensAt > now || rounds[0].closesAt <= now) {
    // The demo was seeded long ago: move the schedule so that round one is open from this start-up (and
    // publish it again if the campaign clock has ended it meanwhile; the clock will set it running).
    const status = campaign.status === CampaignStatus.Ended ? CampaignStatus.Published : campaign.status;
    await manager.update(Campaign, campaign.id, {
      startsAt: schedule.campaignStarts,
      endsAt: schedule.campaignEnds,
      status,
    });
    await manager.update(Round, rounds[0].id, schedule.roundOne);
    await manager.update(Round, rounds[1].id, schedule.roundTwo);
    await manager.update(
      VoucherType,
      { campaignId: campaign.id },
      { validFrom: schedule.campaignStarts, validUntil: schedule.voucherValidUntil },
    );
    Object.assign(rounds[0], schedule.roundOne);
  }
  return {
    id: rounds[0].id,
    name: `${campaign.name} ${rounds[0].name}`,
    opensAt: rounds[0].opensAt,
    closesAt: rounds[0].closesAt,
  };
}

/**
 * 秦乐购·家电摇号券: a published campaign with one lottery round (摇号) whose registration is open from
 * start-up for three days, drawn that evening at 20:00. Moved forward like round one when the demo was seeded
 * long ago and the round is not drawn yet; a drawn round is left as it is.
 */
async function seedLotteryCampaign(manager: EntityManager, now: Date, authorId: string, approverId: string) {
  const schedule = demoSchedule(now);
  const window = {
    // Later than round one's opening, so the listing keeps the first-come round first.
    opensAt: new Date(schedule.roundOne.opensAt.getTime() + 30000),
    closesAt: new Date(schedule.campaignStarts.getTime() + 3 * DAY_MS),
    drawAt: new Date(schedule.campaignStarts.getTime() + 3 * DAY_MS + 20 * 3600 * 1000),
  };
  let campaign = await manager.findOneBy(Campaign, { code: LOTTERY_CAMPAIGN_CODE });
  if (!campaign) {
    campaign = await manager.save(
      manager.create(Campaign, {
        code: LOTTERY_CAMPAIGN_CODE,
        name: '秦乐购·家电摇号券',
        scopeCountyCode: null,
        budgetFen: yuanToFen(1_000_000),
        status: CampaignStatus.Published,
        startsAt: schedule.campaignStarts,
        endsAt: schedule.campaignEnds,
        perPersonLimit: 1,
        perPersonRoundLimit: null,
        perPersonDailyLimit: null,
        merchantDailyRedemptionLimit: 200,
        merchantDailySubsidyCapFen: yuanToFen(20_000),
        createdById: authorId,
        makerIds: [authorId],
        approvedById: approverId,
        approvedAt: schedule.campaignStarts,
      }),
    );
    const type = await manager.save(
      manager.create(VoucherType, {
        campaignId: campaign.id,
        name: '满1000减200',
        kind: DiscountKind.Threshold,
        thresholdFen: yuanToFen(1000),
        discountFen: yuanToFen(200) as Fen | null,
        categoryCodes: [],
        validityKind: ValidityKind.FixedWindow,
        validFrom: schedule.campaignStarts,
        validUntil: schedule.voucherValidUntil,
        bureauShareBp: 10000,
      }),
    );
    const round = await manager.save(
      manager.create(Round, { campaignId: campaign.id, name: '摇号场', mode: RoundMode.Lottery, ...window }),
    );
    const offer = await manager.save(
      manager.create(RoundOffer, { roundId: round.id, name: '家电券（1×200 元）', stock: 500 }),
    );
    await manager.save(manager.create(OfferItem, { offerId: offer.id, voucherTypeId: type.id, quantity: 1 }));
  }
  const round = await manager.findOneByOrFail(Round, { campaignId: campaign.id });
  const drawn = (await manager.query(`SELECT 1 FROM lottery_draws WHERE round_id = $1 AND drawn_at IS NOT NULL`, [
    round.id,
  ])) as unknown[];
  if (drawn.length === 0 && (round.opensAt > now || round.closesAt <= now)) {
    const status = campaign.status === CampaignStatus.Ended ? CampaignStatus.Published : campaign.status;
    await manager.update(Campaign, campaign.id, {
      startsAt: schedule.campaignStarts,
      endsAt: schedule.campaignEnds,
      status,
    });
    await manager.update(Round, round.id, window);
    await manager.update(
      VoucherType,
      { campaignId: campaign.id },
      { validFrom: schedule.campaignStarts, validUntil: schedule.voucherValidUntil },
    );
    Object.assign(round, window);
  }
  return {
    id: round.id,
    name: `${campaign.name} ${round.name}`,
    opensAt: round.opensAt,
    closesAt: round.closesAt,
    drawAt: round.drawAt!,
  };
}

/** Holiday campaigns (五一, 端午, 国庆) drafted for the coming year, not yet submitted for approval. */
async function seedHolidayDrafts(manager: EntityManager, now: Date, authorId: string): Promise<void> {
  const year = Number(businessDay(now).slice(0, 4)) + 1;
  const holidays: [code: string, name: string, from: string, days: number, budgetYuan: number][] = [
    ['WY', '五一', `${year}-04-28`, 10, 1_000_000],
    ['DW', '端午', `${year}-06-15`, 7, 500_000],
    ['GQ', '国庆', `${year}-09-28`, 12, 1_500_000],
  ];
  await insertMissing(
    manager,
    Campaign,
    holidays.map(([code, name, from, days, budgetYuan]) => ({
      code: `${code}-${year}`,
      name: `${year}年“${name}”促消费活动`,
      scopeCountyCode: null,
      budgetFen: yuanToFen(budgetYuan),
      status: CampaignStatus.Draft,
      startsAt: businessDayStart(from),
      endsAt: new Date(businessDayStart(from).getTime() + days * DAY_MS),
      perPersonLimit: 1,
      createdById: authorId,
      makerIds: [authorId],
      version: 1,
    })),
  );
}
