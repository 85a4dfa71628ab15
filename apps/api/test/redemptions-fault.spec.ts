import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent, fetch } from 'undici';
import { budgetKey } from '@quan/data';
import { createRedemptionFixture, OwnRedisServer } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

const RESIDENTS = 600;
const BUDGET_FEN = 300_000;
const CONCURRENCY = 40;

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

  it('keeps every acknowledged redemption, redeems no voucher twice, never exceeds the budget, and resumes after the rebuild', async () => {
    // 600 vouchers of 10 yuan subsidy compete for a budget of 3,000 yuan: exactly 300 can be redeemed.
    const fixture = await createRedemptionFixture(db, api.env.config, {
      residents: RESIDENTS, merchants: 4, campaign: { budget_fen: BUDGET_FEN, issue_beyond_budget: true },
    });
    const vouchers = fixture.vouchers.filter((v) => v.voucherTypeId === fixture.thresholdTypeId);
    const tills = fixture.merchants.flatMap((m) => m.cashierTokens);
    const acked: { id: string; voucherId: string; at: number }[] = [];
    const statuses = new Map<string, number>();
    let next = 0;
    const worker = async () => {
      while (next < vouchers.length) {
        const i = next++;
        const voucher = vouchers[i];
        // A till retries while the service is unavailable, with the same Idempotency-Key.
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const response = await fetch(`${api.base}/merchant/redemptions`, {
            dispatcher: clients,
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${tills[i % tills.length]}`, 'idempotency-key': `fault-${voucher.id}` },
            body: JSON.stringify({ code: voucher.shortCode, orderAmountFen: 6000 }),
          });
          const body = (await response.json()) as { id?: string; code?: string };
          const outcome = `${response.status} ${body.code ?? ''}`.trim();
          statuses.set(outcome, (statuses.get(outcome) ?? 0) + 1);
          if (response.status === 201) acked.push({ id: body.id!, voucherId: voucher.id, at: Date.now() });
          if (response.status !== 503) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    while (acked.length < 100) await new Promise((resolve) => setTimeout(resolve, 5));
    await redisServer.kill();
    await new Promise((resolve) => setTimeout(resolve, 700));
    await redisServer.restart();
    const restartedAt = Date.now();
    await load;

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
});
