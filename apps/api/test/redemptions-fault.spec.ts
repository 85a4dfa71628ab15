import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent, fetch } from 'undici';
import {
  budgetKey,
  CampaignCounters,
  CounterRuns,
  merchantDayKey,
  RedemptionCounters,
  voucherKey,
} from '@quan/counters';
import { businessDay } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import { createRedemptionFixture, OwnRedisServer } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

const RESIDENTS = 600;
const BUDGET_FEN = 300_000;
const CONCURRENCY = 40;

const redisRunId = async (redis: Redis) => /run_id:(\w+)/.exec(await redis.info('server'))![1];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('redemptions survive kill -9 of Redis', () => {
  let redisServer: OwnRedisServer;
  let api: ListeningApi;
  let db: DataSource;
  const clients = new Agent({ connections: CONCURRENCY });

  beforeAll(async () => {
    redisServer = await OwnRedisServer.start();
    api = await listenApi({ REDIS_URL: redisServer.url });
    db = api.db;
  });

  afterAll(async () => {
    await clients.close();
    await api?.close();
    await redisServer?.stop();
  });

  /**
   * A campaign of one merchant, for the reversal tests: its cashier's POST (status and JSON body), the budget
   * and today's merchant-day keys, where a redemption of one of its vouchers counts today, and the counters
   * of another api process on `redis` (its own run tracking and rebuilds).
   */
  const oneMerchant = async (residents: number, budgetFen: number) => {
    const fixture = await createRedemptionFixture(db, api.env.config, {
      residents,
      merchants: 1,
      campaign: { budget_fen: budgetFen },
    });
    const [merchant] = fixture.merchants;
    const prefix = api.env.config.REDIS_KEY_PREFIX;
    const today = { campaignId: fixture.campaignId, merchantId: merchant.id, businessDay: businessDay(new Date()) };
    const post = async (path: string, body: unknown, key?: string) => {
      const response = await fetch(`${api.base}${path}`, {
        dispatcher: clients,
        method: 'POST',
        body: JSON.stringify(body),
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${merchant.cashierTokens[0]}`,
          ...(key ? { 'idempotency-key': key } : {}),
        },
      });
      return { status: response.status, body: (await response.json()) as { id: string; subsidyFen: number } };
    };
    return {
      fixture,
      prefix,
      post,
      vouchers: fixture.vouchers.filter((v) => v.voucherTypeId === fixture.thresholdTypeId),
      budget: budgetKey(prefix, fixture.campaignId),
      day: merchantDayKey(prefix, fixture.campaignId, merchant.id, today.businessDay),
      placeOf: (voucherId: string) => ({ ...today, voucherId }),
      otherApi: (redis: Redis) =>
        new RedemptionCounters(
          redis,
          api.env.config,
          new CampaignCounters(db, redis, api.env.config),
          new CounterRuns(redis, api.env.config),
        ),
    };
  };

  it('keeps every acknowledged redemption, redeems no voucher twice, never exceeds the budget, resumes after the rebuild, and answers replays alike', async () => {
    // 600 vouchers of 10 yuan subsidy compete for a budget of 3,000 yuan: exactly 300 can be redeemed.
    const fixture = await createRedemptionFixture(db, api.env.config, {
      residents: RESIDENTS,
      merchants: 4,
      campaign: { budget_fen: BUDGET_FEN, issue_beyond_budget: true },
    });
    const vouchers = fixture.vouchers.filter((v) => v.voucherTypeId === fixture.thresholdTypeId);
    const tills = fixture.merchants.flatMap((m) => m.cashierTokens);
    const acked: { id: string; voucherId: string; at: number; till: string; key: string; code: string }[] = [];
    const statuses = new Map<string, number>();
    let next = 0;
    // A till retries while the service is unavailable, with the same Idempotency-Key.
    const untilAvailable = async (till: string, key: string, code: string) => {
      for (let attempt = 0; ; attempt += 1) {
        const response = await fetch(`${api.base}/merchant/redemptions`, {
          dispatcher: clients,
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${till}`, 'idempotency-key': key },
          body: JSON.stringify({ code, orderAmountFen: 6000 }),
        });
        const body = (await response.json()) as { id?: string; code?: string };
        const outcome = `${response.status} ${body.code ?? ''}`.trim();
        statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
        if (response.status !== 503 || attempt === 99) return { status: response.status, body };
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    const worker = async () => {
      while (next < vouchers.length) {
        const i = next++;
        const voucher = vouchers[i];
        const [till, key] = [tills[i % tills.length], `fault-${voucher.id}`];
        const { status, body } = await untilAvailable(till, key, voucher.shortCode);
        if (status === 201)
          acked.push({ id: body.id!, voucherId: voucher.id, at: Date.now(), till, key, code: voucher.shortCode });
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    while (acked.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    await redisServer.kill();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await redisServer.restart();
    const restartedAt = Date.now();
    await load;
    // Every key answered 201 answers 201 with the same redemption after the restart.
    const replayed = await Promise.all(
      acked.map(async (r) => ({ sent: r.id, got: (await untilAvailable(r.till, r.key, r.code)).body.id })),
    );
    expect(replayed.filter((r) => r.got !== r.sent)).toEqual([]);

    expect(statuses.get('503 UNAVAILABLE') ?? 0).toBeGreaterThan(0);
    expect(acked.some((redemption) => redemption.at > restartedAt)).toBe(true);
    expect([...statuses.keys()].sort()).toEqual(['201', '409 BUDGET_EXHAUSTED', '503 UNAVAILABLE']);

    const ackedIds = [...new Set(acked.map((r) => r.id))];
    const [{ found, redemptions, vouchersRedeemed, spent, spend }] = await db.query(
      `SELECT (SELECT count(*)::int FROM redemptions WHERE id = ANY($1::uuid[])) AS found,
              (SELECT count(*)::int FROM redemptions WHERE campaign_id = $2) AS redemptions,
              (SELECT count(DISTINCT voucher_id)::int FROM redemptions WHERE campaign_id = $2) AS "vouchersRedeemed",
              (SELECT sum(subsidy_fen)::int FROM redemptions WHERE campaign_id = $2) AS spent,
              (SELECT redeemed_subsidy_fen::int FROM campaign_spend WHERE campaign_id = $2) AS spend`,
      [ackedIds, fixture.campaignId],
    );
    expect(found).toBe(ackedIds.length);
    expect(redemptions).toBe(ackedIds.length);
    expect(vouchersRedeemed).toBe(redemptions);
    expect(spent).toBe(BUDGET_FEN);
    expect(spend).toBe(BUDGET_FEN);

    const redis = new Redis(redisServer.url);
    const used = await redis.hget(budgetKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId), 'used');
    redis.disconnect();
    expect(Number(used)).toBe(BUDGET_FEN);
  }, 120000);

  it('gives each reversal back to the counters once, also after a Redis restart, a lost voucher record or a forced rebuild', async () => {
    const {
      fixture,
      prefix,
      vouchers,
      budget,
      day,
      placeOf,
      otherApi,
      post: postOnce,
    } = await oneMerchant(8, 1_000_000);
    const post = async (path: string, body: unknown, key?: string) => {
      // Retried while the api reconnects to the restarted Redis.
      for (;;) {
        const reply = await postOnce(path, body, key);
        if (reply.status !== 503) return reply;
        await sleep(50);
      }
    };
    const redeem = async (index: number, key = `rebuilt-${index}`) => {
      const reply = await post('/merchant/redemptions', { code: vouchers[index].shortCode, orderAmountFen: 6000 }, key);
      expect(reply.status).toBe(201);
      return { ...reply.body, voucherId: vouchers[index].id };
    };
    const reverse = async (redemptionId: string) =>
      expect((await post(`/merchant/redemptions/${redemptionId}/reversal`, {})).status).toBe(200);
    const redis = new Redis(redisServer.url);
    // What Redis counts against what Postgres holds: n active redemptions of the same subsidy.
    const expectCounts = async (active: number) => {
      const [[used], [n, fen], [{ spend }]] = await Promise.all([
        redis.hmget(budget, 'used'),
        redis.hmget(day, 'n', 'fen'),
        db.query(`SELECT redeemed_subsidy_fen::int AS spend FROM campaign_spend WHERE campaign_id = $1`, [
          fixture.campaignId,
        ]),
      ]);
      expect({ used: Number(used), n: Number(n), fen: Number(fen), spend }).toEqual({
        used: active * subsidy,
        n: active,
        fen: active * subsidy,
        spend: active * subsidy,
      });
    };
    // A second release of a reversal, as another api scanning the voucher at that moment would make (here even
    // claiming that the snapshot counted it): nothing more.
    const releaseAgain = async (redemption: { id: string; voucherId: string }, build?: string) => {
      return otherApi(redis).releaseReversed({
        place: placeOf(redemption.voucherId),
        redemptionId: redemption.id,
        idempotencyKey: '-',
        build: build ?? (await redis.hget(budget, 'build'))!,
        counted: true,
        subsidyFen: subsidy,
      });
    };
    let subsidy = 0;
    try {
      const before = [await redeem(0), await redeem(1), await redeem(2)];
      subsidy = before[0].subsidyFen;
      await redisServer.kill();
      await redisServer.restart();
      expect(await redis.get(voucherKey(prefix, fixture.campaignId, before[0].voucherId))).not.toBeNull();
      await waitUntil(
        'the api on the restarted Redis',
        async () =>
          (await api.app.get(CounterRuns, { strict: false }).current(fixture.campaignId)) === (await redisRunId(redis)),
        10000,
        10,
      );

      // Reversed while the counters are still fenced: they are rebuilt first, from a snapshot that has the reversal.
      await reverse(before[2].id);
      await expectCounts(2);
      // Decided before the restart, its voucher record kept (AOF): given back to the rebuilt counters.
      const after = await redeem(3);
      await expectCounts(3);
      await reverse(before[0].id);
      await expectCounts(2);
      // Its voucher record lost: the same, and only once.
      await redis.del(voucherKey(prefix, fixture.campaignId, before[1].voucherId));
      await reverse(before[1].id);
      await expectCounts(1);
      await releaseAgain(before[1]);
      await expectCounts(1);

      // A rebuild forced by hand under the same Redis run (the runbook's HDEL): a redemption decided before it
      // is given back through the rebuild's snapshot, one decided after it through its own decision; each once.
      const firstBuild = (await redis.hget(budget, 'build'))!;
      await redis.hdel(budget, 'run');
      const rebuilt = await redeem(4);
      await expectCounts(2);
      // Checked against counters rebuilt since: nothing changes, the voucher stays held, and the caller checks again.
      expect(await releaseAgain(after, firstBuild)).toBe(-1);
      expect(await redis.get(voucherKey(prefix, fixture.campaignId, after.voucherId))).not.toBeNull();
      await expectCounts(2);
      await reverse(after.id);
      await expectCounts(1);
      await releaseAgain(after);
      await expectCounts(1);
      await reverse(rebuilt.id);
      await expectCounts(0);
      await releaseAgain(rebuilt);
      await expectCounts(0);

      // The reversed vouchers can be redeemed again.
      await redeem(1, 'rebuilt-again');
      await expectCounts(1);
    } finally {
      redis.disconnect();
    }
  }, 60000);

  it('keeps the counters equal to Postgres when reversals race a second release and rebuilds forced at random moments', async () => {
    const rounds = 40;
    const { fixture, vouchers, budget, day, placeOf, otherApi, post } = await oneMerchant(rounds, 100_000_000);
    const redis = new Redis(redisServer.url);
    const runId = await redisRunId(redis);
    // Two more api processes: one releases every reversal a second time, the other forces rebuilds.
    const [releaser, rebuilder] = [otherApi(redis), new CampaignCounters(db, redis, api.env.config)];
    // What the service does for a reversal, from another process.
    const releaseAgain = (redemptionId: string, voucherId: string, subsidyFen: number) =>
      releaser.giveBackReversal({ place: placeOf(voucherId), redemptionId, idempotencyKey: '-', subsidyFen });
    const differences: string[] = [];
    try {
      for (let i = 0; i < rounds; i += 1) {
        const redeemed = await post(
          '/merchant/redemptions',
          { code: vouchers[i].shortCode, orderAmountFen: 6000 },
          `race-round-${i}`,
        );
        expect(redeemed.status).toBe(201);
        const { id, subsidyFen } = redeemed.body;
        await Promise.all([
          (async () => {
            await sleep(Math.random() * 8);
            expect((await post(`/merchant/redemptions/${id}/reversal`, {})).status).toBe(200);
          })(),
          (async () => {
            await waitUntil(
              'the reversal committed',
              async () =>
                (await db.query(`SELECT 1 FROM redemptions WHERE id = $1 AND reversed_at IS NOT NULL`, [id])).length ===
                1,
              10000,
              1,
            );
            await sleep(Math.random() * 5);
            await releaseAgain(id, vouchers[i].id, subsidyFen);
          })(),
          (async () => {
            await sleep(Math.random() * 8);
            await redis.hdel(budget, 'run');
            await rebuilder.rebuildRedemptions({ campaignId: fixture.campaignId, runId });
          })(),
        ]);
        const [[used], [n, fen], [{ spend, active }]] = await Promise.all([
          redis.hmget(budget, 'used'),
          redis.hmget(day, 'n', 'fen'),
          db.query(
            `SELECT redeemed_subsidy_fen::int AS spend, (SELECT count(*)::int FROM redemptions WHERE campaign_id = $1 AND reversed_at IS NULL) AS active
                      FROM campaign_spend WHERE campaign_id = $1`,
            [fixture.campaignId],
          ),
        ]);
        if (Number(used) !== spend || Number(n ?? 0) !== active || Number(fen ?? 0) !== spend)
          differences.push(`round ${i}: used ${used}, n ${n}, fen ${fen}; Postgres ${spend} fen in ${active}`);
      }
    } finally {
      redis.disconnect();
    }
    expect(differences).toEqual([]);
  }, 120000);
});
