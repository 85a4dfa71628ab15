import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { RollForward } from '@quan/campaigns';
import { CampaignCounters, roundKey } from '@quan/counters';
import { createDataSource } from '@quan/data';
import { Reconciliation } from '@quan/settlement';
import { ClaimFixture, createClaimFixture, createTestEnvironment, TestEnvironment } from '@quan/testing';

const HOUR = 3600 * 1000;
/** The fixture's pack: 满50减10 (bureau pays 10.00) + 直减5 (5.00). */
const PACK_FEN = 1500;

describe('expiry and roll-forward through the budget ledger', () => {
  let env: TestEnvironment;
  let db: DataSource;
  let redis: Redis;
  let fx: ClaimFixture;
  let round3: { roundId: string; offerId: string };
  let rollForward: RollForward;
  let counters: CampaignCounters;
  let persons = 0;

  const stock = async (offerId: string) =>
    (await db.query(`SELECT stock, issued FROM round_offers WHERE id = $1`, [offerId]))[0] as {
      stock: number;
      issued: number;
    };
  const balances = async (): Promise<Record<string, number>> => {
    const rows: { account: string; balance: string }[] = await db.query(
      `SELECT account, sum(amount)::text AS balance FROM (
         SELECT to_account AS account, amount_fen AS amount FROM budget_ledger UNION ALL SELECT from_account, -amount_fen FROM budget_ledger) m
        GROUP BY account`,
    );
    return Object.fromEntries(rows.map((row) => [row.account, Number(row.balance)]));
  };
  /** One resident claims one pack of `offerId`; its 满50减10 is valid until `validUntil[0]`, its 直减5 until `validUntil[1]`. */
  const claim = async (roundId: string, offerId: string, validUntil: [Date, Date]): Promise<string[]> => {
    const resident = fx.residents[persons++];
    const claimId = randomUUID();
    await db.query(
      `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at) VALUES ($1, $2, $3, $4, $5, $6, 1, now() - interval '3 hours')`,
      [claimId, fx.campaignId, roundId, offerId, resident.id, resident.identityId],
    );
    const vouchers: { id: string }[] = await db.query(
      `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
       SELECT gen_random_uuid(), $1, $2, i.voucher_type_id, $3, upper(substr(md5(random()::text), 1, 10)), now() - interval '3 hours',
              ($5::timestamptz[])[row_number() OVER (ORDER BY t.discount_fen DESC)], now() - interval '3 hours'
         FROM offer_items i JOIN voucher_types t ON t.id = i.voucher_type_id WHERE i.offer_id = $4 ORDER BY t.discount_fen DESC RETURNING id`,
      [claimId, fx.campaignId, resident.id, offerId, validUntil],
    );
    await db.query(`UPDATE round_offers SET issued = issued + 1 WHERE id = $1`, [offerId]);
    return vouchers.map((v) => v.id);
  };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    env = await createTestEnvironment({ EXPIRY_GRACE_MS: 10 * 60 * 1000 });
    db = createDataSource(env.config);
    await db.initialize();
    redis = new Redis(env.config.REDIS_URL);
    counters = new CampaignCounters(db, redis, env.config);
    rollForward = new RollForward(db, counters, env.config);

    // Round 1 closed an hour ago and rolls into round 2 (open), which rolls into round 3 (opens later).
    fx = await createClaimFixture(db, env.config, { stock: 10, residents: 20 });
    round3 = { roundId: randomUUID(), offerId: randomUUID() };
    const now = Date.now();
    await db.query(
      `INSERT INTO rounds (id, campaign_id, name, opens_at, closes_at) VALUES ($1, $2, '测试三场', $3, $4)`,
      [round3.roundId, fx.campaignId, new Date(now + 2 * HOUR), new Date(now + 3 * HOUR)],
    );
    await db.query(`INSERT INTO round_offers (id, round_id, name, stock) VALUES ($1, $2, '测试券包', 10)`, [
      round3.offerId,
      round3.roundId,
    ]);
    await db.query(
      `INSERT INTO offer_items (offer_id, voucher_type_id, quantity) SELECT $1, voucher_type_id, quantity FROM offer_items WHERE offer_id = $2`,
      [round3.offerId, fx.offerId],
    );
    await db.query(`UPDATE rounds SET opens_at = $2, closes_at = $3, roll_forward_to_id = $4 WHERE id = $1`, [
      fx.roundId,
      new Date(now - 3 * HOUR),
      new Date(now - HOUR),
      fx.second.roundId,
    ]);
    await db.query(`UPDATE rounds SET roll_forward_to_id = $2 WHERE id = $1`, [fx.second.roundId, round3.roundId]);
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.destroy();
    await env?.dispose();
  });

  it('expires vouchers past validity and the grace period, moves their value and the unclaimed stock forward, balances the ledger, and reconciles', async () => {
    const [past, future, withinGraceOf] = [
      new Date(Date.now() - HOUR),
      new Date(Date.now() + 24 * HOUR),
      new Date(Date.now() - 5 * 60 * 1000),
    ];
    const expiring = [
      ...(await claim(fx.roundId, fx.offerId, [past, past])),
      ...(await claim(fx.roundId, fx.offerId, [past, past])),
    ];
    const [withinGrace] = await claim(fx.roundId, fx.offerId, [withinGraceOf, withinGraceOf]);
    const [redeemed] = await claim(fx.roundId, fx.offerId, [past, future]);
    await db.query(`UPDATE vouchers SET status = 'redeemed' WHERE id = $1`, [redeemed]);
    const [round2Voucher, round2Later] = await claim(fx.second.roundId, fx.second.offerId, [past, future]); // 10.00 expires: not a whole pack
    const before = {
      round1: await stock(fx.offerId),
      round2: await stock(fx.second.offerId),
      round3: await stock(round3.offerId),
    };
    expect(before.round1).toEqual({ stock: 10, issued: 4 });

    // Two replicas at once: each movement happens once between them.
    const [a, b] = await Promise.all([rollForward.run(), new RollForward(db, counters, env.config).run()]);
    expect({
      expired: a.expired + b.expired,
      packsConverted: a.packsConverted + b.packsConverted,
      packsMoved: a.packsMoved + b.packsMoved,
    }).toEqual({ expired: 5, packsConverted: 2, packsMoved: 6 });

    const statuses: { id: string; status: string }[] = await db.query(
      `SELECT id, status FROM vouchers WHERE claim_id IN (SELECT id FROM claims WHERE campaign_id = $1)`,
      [fx.campaignId],
    );
    const status = Object.fromEntries(statuses.map((v) => [v.id, v.status]));
    expect(expiring.map((id) => status[id])).toEqual(['expired', 'expired', 'expired', 'expired']);
    expect([status[withinGrace], status[redeemed], status[round2Voucher]]).toEqual(['claimed', 'redeemed', 'expired']);

    // Round 1 keeps what it issued; round 2 gains its 6 unclaimed packs and 2 packs bought with the expired value.
    expect(await stock(fx.offerId)).toEqual({ stock: 4, issued: 4 });
    expect((await stock(fx.second.offerId)).stock).toBe(before.round2.stock + 6 + 2);
    expect((await stock(round3.offerId)).stock).toBe(before.round3.stock);
    expect(await balances()).toEqual({
      [`vouchers:${fx.offerId}`]: -2 * PACK_FEN,
      [`rollover:${fx.second.offerId}`]: 0,
      [`offer:${fx.second.offerId}`]: 6 * PACK_FEN + 2 * PACK_FEN,
      [`offer:${fx.offerId}`]: -6 * PACK_FEN,
      [`vouchers:${fx.second.offerId}`]: -1000,
      [`rollover:${round3.offerId}`]: 1000,
    });
    expect(Object.values(await balances()).reduce((sum, balance) => sum + balance, 0)).toBe(0);
    // The Redis counters of the campaign carry the new stock at once.
    expect(
      await redis.hget(
        roundKey(env.config.REDIS_KEY_PREFIX, fx.campaignId, fx.second.roundId),
        `s:${fx.second.offerId}`,
      ),
    ).toBe(String(before.round2.stock + 8));

    // Running again finds nothing left to do.
    expect(await rollForward.run()).toEqual({ expired: 0, packsConverted: 0, packsMoved: 0 });
    expect((await stock(fx.second.offerId)).stock).toBe(before.round2.stock + 8);

    // Value waiting in round 3 becomes a pack once enough has expired (the 直减5 voucher of round 2's claim).
    await db.query(`UPDATE vouchers SET valid_until = $2 WHERE id = $1`, [round2Later, past]);
    expect(await rollForward.run()).toEqual({ expired: 1, packsConverted: 1, packsMoved: 0 });
    expect((await stock(round3.offerId)).stock).toBe(before.round3.stock + 1);
    expect((await balances())[`rollover:${round3.offerId}`]).toBe(0);

    const reconciliation = new Reconciliation(db, db, counters);
    const first = await reconciliation.run();
    expect(first.differences.filter((d) => d.check === 'budget_ledger')).toEqual([]);
    // This fixture marked a voucher redeemed without a redemption: the reconciliation says so.
    expect(first.differences.filter((d) => d.check === 'voucher_redeemed_once')).toEqual([
      {
        check: 'voucher_redeemed_once',
        subject: `voucher ${redeemed}`,
        expected: '1 active redemption',
        actual: '0 active redemptions (redeemed)',
      },
    ]);
    // A voucher expired behind the ledger's back is reported.
    await db.query(`UPDATE vouchers SET status = 'expired' WHERE id = $1`, [withinGrace]);
    expect((await reconciliation.run()).differences.filter((d) => d.check === 'budget_ledger')).toEqual([
      {
        check: 'budget_ledger',
        subject: `voucher ${withinGrace}`,
        expected: 'expired with one ledger entry',
        actual: 'expired with 0 ledger entries',
      },
    ]);

    // Redis issued counters, once built, are compared with Postgres per offer.
    await counters.rebuild({ campaignId: fx.campaignId, runId: 'reconciliation-test' });
    expect((await reconciliation.run()).differences.filter((d) => d.check === 'round_counters')).toEqual([]);
    await redis.hincrby(
      roundKey(env.config.REDIS_KEY_PREFIX, fx.campaignId, fx.second.roundId),
      `i:${fx.second.offerId}`,
      1,
    );
    expect((await reconciliation.run()).differences.filter((d) => d.check === 'round_counters')).toEqual([
      {
        check: 'round_counters',
        subject: `round ${fx.second.roundId} offer ${fx.second.offerId}`,
        expected: '1',
        actual: '2',
      },
    ]);
  });
});
