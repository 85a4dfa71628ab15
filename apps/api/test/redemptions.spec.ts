import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { fetch } from 'undici';
import { DataSource } from 'typeorm';
import {
  budgetKey,
  campaignTag,
  formatHolder,
  givenBackKey,
  merchantDayKey,
  redemptionIdempotencyKey,
  voucherKey,
} from '@quan/counters';
import { deleteKeysWithPrefix } from '@quan/data';
import { createRedemptionFixture, FixtureVoucher, RedemptionFixture } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

interface Answer {
  status: number;
  body: Record<string, unknown> & {
    code?: string;
    id?: string;
    subsidyFen?: number;
    discountFen?: number;
    payableFen?: number;
  };
}

describe('redeeming vouchers at the till (real Postgres and Redis)', () => {
  let api: ListeningApi;
  let db: DataSource;
  let redis: Redis;
  let env: ListeningApi['env'];

  beforeAll(async () => {
    api = await listenApi({ QR_TOKEN_TTL_S: 10 });
    ({ db, redis, env } = api);
  });

  afterAll(() => api?.close());

  const call = async (
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
    key?: string,
  ): Promise<Answer> => {
    const response = await fetch(`${api.base}${path}`, {
      dispatcher: api.clients,
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body ? { 'content-type': 'application/json' } : {}),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as Answer['body'] };
  };
  const qr = async (voucher: FixtureVoucher) => {
    const answer = await call('POST', `/me/vouchers/${voucher.id}/qr`, voucher.residentToken);
    expect(answer.status).toBe(200);
    expect(answer.body.svg).toMatch(/^<svg[^>]*viewBox="0 0 (\d+) \1".*<path/s);
    return answer.body.token as string;
  };
  const redeem = (cashier: string, body: Record<string, unknown>, key: string = randomUUID()) =>
    call('POST', '/merchant/redemptions', cashier, body, key);
  const quote = (cashier: string, body: Record<string, unknown>) =>
    call('POST', '/merchant/redemptions/quote', cashier, body);
  /** What redemptions changed: rows, voucher states, subsidy spent, outbox messages, the Redis budget. */
  const state = async (fixture: RedemptionFixture) => {
    const [row] = await db.query(
      `SELECT (SELECT count(*)::int FROM redemptions WHERE campaign_id = $1) AS redemptions,
              (SELECT count(*)::int FROM vouchers WHERE campaign_id = $1 AND status = 'redeemed') AS redeemed,
              (SELECT coalesce(sum(redeemed_subsidy_fen), 0)::int FROM campaign_spend WHERE campaign_id = $1) AS spent,
              (SELECT count(*)::int FROM outbox WHERE payload->>'campaignId' = $1::text) AS messages`,
      [fixture.campaignId],
    );
    return {
      ...row,
      budgetUsed: Number((await redis.hget(budgetKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId), 'used')) ?? 0),
    };
  };

  it('quotes the discount and its split without changing anything, then redeems by QR token', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 2, bureauShareBp: 6000 });
    const [threshold] = fixture.vouchers;
    const [cashier] = fixture.merchants[0].cashierTokens;
    const token = await qr(threshold);
    const quoted = await quote(cashier, { token, orderAmountFen: 12800 });
    expect(quoted.status).toBe(200);
    expect(quoted.body).toMatchObject({
      orderAmountFen: 12800,
      discountFen: 1000,
      subsidyFen: 600,
      merchantFundedFen: 400,
      payableFen: 11800,
    });
    expect(await state(fixture)).toEqual({ redemptions: 0, redeemed: 0, spent: 0, messages: 0, budgetUsed: 0 });

    const redeemed = await redeem(cashier, { token, orderAmountFen: 12800 });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body).toMatchObject({
      discountFen: 1000,
      subsidyFen: 600,
      payableFen: 11800,
      merchantId: fixture.merchants[0].id,
      reversedAt: null,
    });
    expect(await state(fixture)).toEqual({ redemptions: 1, redeemed: 1, spent: 600, messages: 1, budgetUsed: 600 });
    const [message] = await db.query(`SELECT topic, payload FROM outbox WHERE payload->>'redemptionId' = $1`, [
      redeemed.body.id,
    ]);
    expect(message).toEqual({
      topic: 'redemption.redeemed',
      payload: {
        redemptionId: redeemed.body.id,
        campaignId: fixture.campaignId,
        merchantId: fixture.merchants[0].id,
        businessDay: redeemed.body.businessDay,
        subsidyFen: 600,
      },
    });
    const mine = await call('GET', '/me/vouchers', threshold.residentToken);
    expect((mine.body as unknown as { id: string; status: string }[]).find((v) => v.id === threshold.id)?.status).toBe(
      'redeemed',
    );
  });

  it('redeems a voucher exactly once when two tills confirm it at the same instant (200 times)', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 100 });
    const [tillA, tillB] = [fixture.merchants[0].cashierTokens[0], fixture.merchants[1].cashierTokens[0]];
    const answers = await Promise.all(
      fixture.vouchers.map(async (voucher) => {
        const token = await qr(voucher);
        return Promise.all([
          redeem(tillA, { token, orderAmountFen: 6000 }),
          redeem(tillB, { code: voucher.shortCode, orderAmountFen: 6000 }),
        ]);
      }),
    );
    for (const pair of answers) {
      expect(pair.map((a) => a.status).sort()).toEqual([201, 409]);
      expect(pair.find((a) => a.status === 409)!.body.code).toBe('ALREADY_REDEEMED');
    }
    const [{ vouchers, redemptions }] = await db.query(
      `SELECT count(DISTINCT voucher_id)::int AS vouchers, count(*)::int AS redemptions FROM redemptions WHERE campaign_id = $1`,
      [fixture.campaignId],
    );
    expect({ vouchers, redemptions }).toEqual({ vouchers: 200, redemptions: 200 });
    const subsidies = answers
      .flat()
      .filter((a) => a.status === 201)
      .reduce((sum, a) => sum + a.body.subsidyFen!, 0);
    const now = await state(fixture);
    expect(now).toEqual({ redemptions: 200, redeemed: 200, spent: subsidies, messages: 200, budgetUsed: subsidies });
  }, 120000);

  it('answers a retry with the same Idempotency-Key with the first redemption, and the same key with another amount with 422', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 1 });
    const [voucher] = fixture.vouchers;
    const [cashier] = fixture.merchants[0].cashierTokens;
    const token = await qr(voucher);
    const [first, concurrent] = await Promise.all([
      redeem(cashier, { token, orderAmountFen: 5000 }, 'till-1-key-0001'),
      redeem(cashier, { token, orderAmountFen: 5000 }, 'till-1-key-0001'),
    ]);
    const again = await redeem(cashier, { code: voucher.shortCode, orderAmountFen: 5000 }, 'till-1-key-0001');
    const winner = [first, concurrent].find((a) => a.status === 201)!;
    expect(
      [first, concurrent].every((a) => a.status === 201 || (a.status === 409 && a.body.code === 'REQUEST_IN_PROGRESS')),
    ).toBe(true);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(winner.body);
    const otherAmount = await redeem(cashier, { code: voucher.shortCode, orderAmountFen: 5100 }, 'till-1-key-0001');
    expect([otherAmount.status, otherAmount.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(await state(fixture)).toMatchObject({ redemptions: 1, messages: 1 });
    const missing = await call('POST', '/merchant/redemptions', cashier, { token, orderAmountFen: 5000 });
    expect([missing.status, missing.body.code]).toEqual([400, 'VALIDATION_FAILED']);
  });

  it('tells the till when an already redeemed voucher was redeemed and whether at its own merchant, never at which other one', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 1 });
    const [voucher] = fixture.vouchers;
    const [tillA, tillB] = [fixture.merchants[0].cashierTokens[0], fixture.merchants[1].cashierTokens[0]];
    const first = await redeem(tillA, { code: voucher.shortCode, orderAmountFen: 6000 });
    expect(first.status).toBe(201);
    const here = await quote(tillA, { code: voucher.shortCode, orderAmountFen: 6000 });
    expect([here.status, here.body.code, here.body.redeemedAt, here.body.atThisMerchant]).toEqual([
      409,
      'ALREADY_REDEEMED',
      first.body.redeemedAt,
      true,
    ]);
    const elsewhere = await redeem(tillB, { code: voucher.shortCode, orderAmountFen: 6000 });
    expect([elsewhere.status, elsewhere.body.code, elsewhere.body.redeemedAt, elsewhere.body.atThisMerchant]).toEqual([
      409,
      'ALREADY_REDEEMED',
      first.body.redeemedAt,
      false,
    ]);
    expect(JSON.stringify(elsewhere.body)).not.toContain(fixture.merchants[0].id);
  });

  it('refuses a forged or mistyped code, a suspended merchant, an ineligible merchant or category and a small order, changing nothing', async () => {
    const fixture = await createRedemptionFixture(db, env.config, {
      residents: 3,
      campaign: { eligible_county_codes: '{hanbin}' },
    });
    await db.query(`UPDATE voucher_types SET category_codes = '{catering}' WHERE id = $1`, [fixture.thresholdTypeId]);
    const [threshold, fixed] = fixture.vouchers;
    const token = await qr(threshold);
    const cases: [string, Record<string, unknown>, number, string][] = [
      [fixture.suspended.cashierTokens[0], { token, orderAmountFen: 6000 }, 409, 'MERCHANT_NOT_APPROVED'],
      [fixture.otherCounty.cashierTokens[0], { token, orderAmountFen: 6000 }, 422, 'MERCHANT_NOT_ELIGIBLE'],
      [fixture.retail.cashierTokens[0], { token, orderAmountFen: 6000 }, 422, 'CATEGORY_NOT_ELIGIBLE'],
      [fixture.merchants[0].cashierTokens[0], { token, orderAmountFen: 4999 }, 422, 'THRESHOLD_NOT_MET'],
      [
        fixture.merchants[0].cashierTokens[0],
        { token: `${token.slice(0, -2)}xx`, orderAmountFen: 6000 },
        422,
        'TOKEN_INVALID',
      ],
      [
        fixture.merchants[0].cashierTokens[0],
        {
          code: `${threshold.shortCode.slice(0, -1)}${threshold.shortCode.endsWith('0') ? '1' : '0'}`,
          orderAmountFen: 6000,
        },
        400,
        'SHORT_CODE_INVALID',
      ],
      [
        fixture.merchants[0].cashierTokens[0],
        { token, code: threshold.shortCode, orderAmountFen: 6000 },
        400,
        'VALIDATION_FAILED',
      ],
      [fixture.merchants[0].cashierTokens[0], { token, orderAmountFen: 60.5 }, 400, 'VALIDATION_FAILED'],
    ];
    for (const [cashier, body, status, code] of cases) {
      for (const answer of [await quote(cashier, body), await redeem(cashier, body)])
        expect([answer.status, answer.body.code]).toEqual([status, code]);
    }
    const [cashier] = fixture.merchants[0].cashierTokens;
    for (const send of [quote, redeem]) {
      expect((await send(cashier, { orderAmountFen: 6000 })).body.errors).toEqual([
        { field: 'token', messages: ['Send the QR token (token) or the short code (code) of the voucher'] },
      ]);
      expect((await send(cashier, { token, code: threshold.shortCode, orderAmountFen: 6000 })).body.errors).toEqual([
        { field: 'code', messages: ['Send either the QR token or the short code, not both'] },
      ]);
      expect((await send(cashier, { token, orderAmountFen: '6000' })).body.errors).toEqual([
        { field: 'orderAmountFen', messages: ['orderAmountFen must be an integer number of fen'] },
      ]);
    }
    // The fixed voucher (直减5, usable in every category) is fine at the retail merchant: only the category rule refused above.
    expect(
      (await redeem(fixture.retail.cashierTokens[0], { code: fixed.shortCode, orderAmountFen: 300 })).body,
    ).toMatchObject({ discountFen: 300, payableFen: 0 });
    expect(await state(fixture)).toEqual({ redemptions: 1, redeemed: 1, spent: 300, messages: 1, budgetUsed: 300 });
  });

  it('redeems a voucher by a code issued before the alphabet changed, typed in lower case without dashes', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 1 });
    const [threshold] = fixture.vouchers;
    expect(threshold.shortCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await db.query(`UPDATE vouchers SET short_code = '7Q8S-KDX8-JT$' WHERE id = $1`, [threshold.id]);
    const redeemed = await redeem(fixture.merchants[0].cashierTokens[0], { code: '7q8skdx8jt$', orderAmountFen: 6000 });
    expect(redeemed.status).toBe(201);
    expect(redeemed.body.voucher).toMatchObject({ id: threshold.id, shortCode: '7Q8S-KDX8-JT$' });
  });

  it('refuses an expired QR token, and another resident cannot get a token for a voucher that is not theirs', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 2 });
    const [mine, , theirs] = fixture.vouchers;
    const stranger = await call('POST', `/me/vouchers/${theirs.id}/qr`, mine.residentToken);
    expect([stranger.status, stranger.body.code]).toEqual([404, 'VOUCHER_NOT_FOUND']);
    const token = await qr(mine);
    await new Promise((resolve) => setTimeout(resolve, 10500));
    const late = await redeem(fixture.merchants[0].cashierTokens[0], { token, orderAmountFen: 6000 });
    expect([late.status, late.body.code]).toEqual([409, 'TOKEN_EXPIRED']);
    expect(await state(fixture)).toEqual({ redemptions: 0, redeemed: 0, spent: 0, messages: 0, budgetUsed: 0 });
  }, 30000);

  it('never lets concurrent redemptions exceed the campaign budget or a merchant daily cap', async () => {
    // 10 vouchers of 10 yuan subsidy fit in the budget; 40 cashiers try at once.
    const fixture = await createRedemptionFixture(db, env.config, {
      residents: 20,
      campaign: { budget_fen: 10000, issue_beyond_budget: true },
    });
    const tills = fixture.merchants.flatMap((m) => m.cashierTokens);
    const answers = await Promise.all(
      fixture.vouchers.map((voucher, i) =>
        redeem(tills[i % tills.length], {
          code: voucher.shortCode,
          orderAmountFen: voucher.voucherTypeId === fixture.thresholdTypeId ? 5000 : 1000,
        }),
      ),
    );
    const won = answers.filter((a) => a.status === 201);
    expect(
      answers.filter((a) => a.status !== 201).every((a) => a.status === 409 && a.body.code === 'BUDGET_EXHAUSTED'),
    ).toBe(true);
    const spent = won.reduce((sum, a) => sum + a.body.subsidyFen!, 0);
    expect(spent).toBeLessThanOrEqual(10000);
    expect(spent).toBeGreaterThan(10000 - 1000);
    expect(await state(fixture)).toMatchObject({ redemptions: won.length, spent, budgetUsed: spent });

    const capped = await createRedemptionFixture(db, env.config, {
      residents: 10,
      merchants: 1,
      campaign: { merchant_daily_redemption_limit: 3 },
    });
    const [cashier, other] = capped.merchants[0].cashierTokens;
    const daily = await Promise.all(
      capped.vouchers.map((v, i) => redeem(i % 2 ? cashier : other, { code: v.shortCode, orderAmountFen: 6000 })),
    );
    expect(daily.filter((a) => a.status === 201)).toHaveLength(3);
    expect(daily.filter((a) => a.status === 409 && a.body.code === 'MERCHANT_LIMIT_REACHED')).toHaveLength(17);
  }, 60000);

  it('reverses a redemption the same business day: the voucher, the budget and the daily cap are restored, and it is recorded', async () => {
    const fixture = await createRedemptionFixture(db, env.config, {
      residents: 2,
      merchants: 1,
      campaign: { merchant_daily_redemption_limit: 1 },
    });
    const [voucher, second] = fixture.vouchers;
    const {
      cashierTokens: [cashier],
      adminToken,
    } = fixture.merchants[0];
    const redeemed = await redeem(cashier, { code: voucher.shortCode, orderAmountFen: 8000 });
    expect(redeemed.status).toBe(201);
    expect((await redeem(cashier, { code: second.shortCode, orderAmountFen: 8000 })).body.code).toBe(
      'MERCHANT_LIMIT_REACHED',
    );

    const stranger = await call(
      'POST',
      `/merchant/redemptions/${redeemed.body.id}/reversal`,
      fixture.retail.cashierTokens[0],
      {},
    );
    expect([stranger.status, stranger.body.code]).toEqual([404, 'REDEMPTION_NOT_FOUND']);
    const reversed = await call('POST', `/merchant/redemptions/${redeemed.body.id}/reversal`, adminToken, {
      reason: '顾客退货',
    });
    expect(reversed.status).toBe(200);
    expect(reversed.body.reversedAt).toEqual(expect.any(String));
    const twice = await call('POST', `/merchant/redemptions/${redeemed.body.id}/reversal`, cashier, {});
    expect(twice.body).toEqual(reversed.body);
    expect(await state(fixture)).toEqual({ redemptions: 1, redeemed: 0, spent: 0, messages: 2, budgetUsed: 0 });
    const audit = await db.query(`SELECT action, actor_role FROM audit_log WHERE entity_id = $1`, [redeemed.body.id]);
    expect(audit).toEqual([{ action: 'redemption.reverse', actor_role: 'merchant_admin' }]);

    // The voucher and the merchant's daily cap are usable again.
    expect((await redeem(cashier, { code: voucher.shortCode, orderAmountFen: 9000 })).status).toBe(201);
    const day = await call('GET', '/merchant/redemptions', cashier);
    expect(day.body.totals).toEqual({
      count: 1,
      reversed: 1,
      orderAmountFen: 9000,
      discountFen: 1000,
      subsidyFen: 1000,
      merchantFundedFen: 0,
    });
    expect((day.body.items as unknown[]).length).toBe(2);
    const elsewhere = await call('GET', '/merchant/redemptions', fixture.retail.cashierTokens[0]);
    expect(elsewhere.body.items).toEqual([]);

    // A redemption of an earlier business day can no longer be reversed (REVERSAL_WINDOW_DAYS=0).
    await db.query(`UPDATE redemptions SET business_day = business_day - 1 WHERE id = $1`, [redeemed.body.id]);
    const latest = (day.body.items as { id: string }[]).find((item) => item.id !== redeemed.body.id)!;
    await db.query(`UPDATE redemptions SET business_day = business_day - 1 WHERE id = $1`, [latest.id]);
    const tooLate = await call('POST', `/merchant/redemptions/${latest.id}/reversal`, cashier, {});
    expect([tooLate.status, tooLate.body.code]).toEqual([409, 'REVERSAL_WINDOW_CLOSED']);
  });

  it('Postgres refuses a second redemption when Redis and the voucher row both forgot the first, and the counts are given back', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 1 });
    const [voucher] = fixture.vouchers;
    const [tillA, tillB] = [fixture.merchants[0].cashierTokens[0], fixture.merchants[1].cashierTokens[0]];
    expect((await redeem(tillA, { code: voucher.shortCode, orderAmountFen: 6000 })).status).toBe(201);
    await db.query(`UPDATE vouchers SET status = 'claimed' WHERE id = $1`, [voucher.id]);
    await redis.del(voucherKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId, voucher.id));
    const second = await redeem(tillB, { code: voucher.shortCode, orderAmountFen: 6000 });
    expect([second.status, second.body.code]).toEqual([409, 'ALREADY_REDEEMED']);
    expect(await state(fixture)).toMatchObject({ redemptions: 1, spent: 1000, messages: 1, budgetUsed: 1000 });
    expect(second.body).toMatchObject({ redeemedAt: expect.any(String), atThisMerchant: false });
  });

  it('releases a voucher held by a decision that never reached Postgres, or whose reversal never reached Redis', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 2, merchants: 1 });
    const [first, crashed, reversedLater] = fixture.vouchers;
    const [cashier] = fixture.merchants[0].cashierTokens;
    const prefix = env.config.REDIS_KEY_PREFIX;
    const merchantId = fixture.merchants[0].id;
    expect((await redeem(cashier, { code: first.shortCode, orderAmountFen: 6000 })).status).toBe(201);
    const [run, build] = (await redis.hmget(budgetKey(prefix, fixture.campaignId), 'run', 'build')) as string[];
    const day = (
      await db.query(`SELECT to_char(business_day, 'YYYY-MM-DD') AS day FROM redemptions WHERE campaign_id = $1`, [
        fixture.campaignId,
      ])
    )[0].day;
    // An api decided `crashed` in Redis (500 fen counted) and died before committing.
    const hold = async (voucherId: string, decidedAt: number, key: string) => {
      // As redeem.lua writes it: the holder, then the build that counted it.
      const holder = formatHolder({
        redemptionId: randomUUID(),
        decidedAtMs: decidedAt,
        subsidyFen: 500,
        merchantId,
        businessDay: day,
        runId: run,
        idempotencyKey: key,
      });
      await redis.set(voucherKey(prefix, fixture.campaignId, voucherId), `${holder}|${build}`);
      await redis.hincrby(budgetKey(prefix, fixture.campaignId), 'used', 500);
      await redis.hincrby(merchantDayKey(prefix, fixture.campaignId, merchantId, day), 'n', 1);
      await redis.hincrby(merchantDayKey(prefix, fixture.campaignId, merchantId, day), 'fen', 500);
    };
    await hold(crashed.id, Date.now(), 'crashed-till-key');
    const tooSoon = await redeem(cashier, { code: crashed.shortCode, orderAmountFen: 6000 });
    expect([tooSoon.status, tooSoon.body.code]).toEqual([409, 'ALREADY_REDEEMED']);
    const sameKey = await redeem(cashier, { code: crashed.shortCode, orderAmountFen: 6000 }, 'crashed-till-key');
    expect([sameKey.status, sameKey.body.code]).toEqual([409, 'REQUEST_IN_PROGRESS']);
    await redis.set(
      voucherKey(prefix, fixture.campaignId, crashed.id),
      (await redis.get(voucherKey(prefix, fixture.campaignId, crashed.id)))!.replace(
        /\|\d+\|/,
        `|${Date.now() - 120_000}|`,
      ),
    );
    expect((await redeem(cashier, { code: crashed.shortCode, orderAmountFen: 6000 })).status).toBe(201);
    expect(await state(fixture)).toMatchObject({ redemptions: 2, spent: 1500, budgetUsed: 1500 });

    // A reversal committed while Redis was unreachable: the voucher is released at its next scan.
    const redeemed = await redeem(cashier, { code: reversedLater.shortCode, orderAmountFen: 6000 });
    const holder = (await redis.get(voucherKey(prefix, fixture.campaignId, reversedLater.id)))!;
    expect((await call('POST', `/merchant/redemptions/${redeemed.body.id}/reversal`, cashier, {})).status).toBe(200);
    // Undo what the reversal's release did in Redis, as if it had never arrived.
    await redis.set(voucherKey(prefix, fixture.campaignId, reversedLater.id), holder);
    await redis.del(givenBackKey(prefix, fixture.campaignId, redeemed.body.id as string));
    await redis.hincrby(budgetKey(prefix, fixture.campaignId), 'used', 1000);
    await redis.hincrby(merchantDayKey(prefix, fixture.campaignId, merchantId, day), 'n', 1);
    await redis.hincrby(merchantDayKey(prefix, fixture.campaignId, merchantId, day), 'fen', 1000);
    expect((await redeem(cashier, { code: reversedLater.shortCode, orderAmountFen: 7000 })).status).toBe(201);
    expect(await state(fixture)).toMatchObject({ redemptions: 4, spent: 2500, budgetUsed: 2500 });
    expect(await redis.hget(merchantDayKey(prefix, fixture.campaignId, merchantId, day), 'n')).toBe('3');

    // The same key in flight with another amount is refused as a reused key.
    const [other] = fixture.vouchers.slice(3);
    await redis.set(
      redemptionIdempotencyKey(prefix, fixture.campaignId, merchantId, 'in-flight-key'),
      `${other.id}/6000`,
      'EX',
      30,
    );
    const reused = await redeem(cashier, { code: other.shortCode, orderAmountFen: 6100 }, 'in-flight-key');
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });

  it('rebuilds lost Redis counters from Postgres, and Postgres refuses a second redemption Redis forgot', async () => {
    const fixture = await createRedemptionFixture(db, env.config, { residents: 3 });
    const [first, second, third] = fixture.vouchers;
    const [cashier] = fixture.merchants[0].cashierTokens;
    expect((await redeem(cashier, { code: first.shortCode, orderAmountFen: 6000 })).status).toBe(201);
    expect((await redeem(cashier, { code: second.shortCode, orderAmountFen: 1000 })).status).toBe(201);
    // Every Redis key of the campaign is lost, as after a restart without persistence.
    await deleteKeysWithPrefix(redis, [`${campaignTag(env.config.REDIS_KEY_PREFIX, fixture.campaignId)}:`]);

    const again = await redeem(cashier, { code: first.shortCode, orderAmountFen: 6000 });
    expect([again.status, again.body.code]).toEqual([409, 'ALREADY_REDEEMED']);
    expect((await redeem(cashier, { code: third.shortCode, orderAmountFen: 6000 })).status).toBe(201);
    expect(await state(fixture)).toEqual({ redemptions: 3, redeemed: 3, spent: 2500, messages: 3, budgetUsed: 2500 });
  });
});
