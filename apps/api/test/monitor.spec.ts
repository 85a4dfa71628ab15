import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { ClaimActivity } from '@quan/claims';
import { REDIS } from '@quan/data';
import { ClaimFixture, createClaimFixture, createTestApp } from '@quan/testing';
import { AppModule } from '../src/app.module';
import { Api, startApi } from './support/api';

interface MonitoredRound {
  roundId: string;
  status: string;
  claimed: number;
  claimsPerSecond: number;
  sellOutInSeconds: number | null;
  offers: { offerId: string; stock: number; claimed: number; remaining: number }[];
  perSecond: { from: string; claims: number[]; refusals: number[] };
  refusals: { code: string; count: number }[];
}

const sum = (values: number[]) => values.reduce((total, n) => total + n, 0);

/**
 * The live round monitor reads stock left from the claim counters and claims and refusals per second
 * from what every api process counted and flushed to Redis. Two applications on one database and one
 * Redis prefix stand for two api replicas: each counts its own claims, the monitor sums them.
 */
describe('live round monitor (GET /campaigns/{id}/monitor)', () => {
  let api: Api;
  let replica: NestFastifyApplication;
  let admin: string;

  beforeAll(async () => {
    api = await startApi();
    replica = await createTestApp(AppModule.register(api.env.config), api.env.config);
    admin = await api.login('admin');
  });

  afterAll(async () => {
    await replica?.close();
    await api?.close();
  });

  const claimOn = async (
    app: NestFastifyApplication,
    round: { roundId: string; offerId: string },
    token: string,
    key?: string,
  ) => {
    const reply = await app.inject({
      method: 'POST',
      url: `/api/v1/rounds/${round.roundId}/claims`,
      payload: { offerId: round.offerId },
      headers: { authorization: `Bearer ${token}`, ...(key ? { 'idempotency-key': key } : {}) },
    });
    return { status: reply.statusCode, code: (reply.json() as { code?: string }).code };
  };

  const monitor = async (campaignId: string, token = admin) => {
    const reply = await api.call('GET', `/campaigns/${campaignId}/monitor`, { token });
    expect(reply.status).toBe(200);
    return reply.body as { campaignId: string; serverTime: string; rounds: MonitoredRound[] };
  };

  /** The round as the monitor shows it once `done` holds (processes flush once a second; a second shows once complete). */
  const roundOnceFlushed = async (f: ClaimFixture, roundId: string, done: (round: MonitoredRound) => boolean) => {
    const deadline = Date.now() + 8000;
    for (;;) {
      const round = (await monitor(f.campaignId)).rounds.find((r) => r.roundId === roundId)!;
      if (done(round) || Date.now() > deadline) return round;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  it('counts claims and refusals by code from two api processes, with the stock left from the counters', async () => {
    const f = await createClaimFixture(api.db, api.env.config, { stock: 3, residents: 6, perPersonLimit: 1 });
    const [a, b, c, d, e] = f.residents;
    const key = randomUUID();
    const answers = [
      await claimOn(api.app, f, a.token, key),
      // A replay gets the first answer again: it is not another claim.
      await claimOn(replica, f, a.token, key),
      await claimOn(replica, f.second, a.token),
      await claimOn(replica, f, b.token),
      await claimOn(api.app, f, c.token),
      await claimOn(replica, f, d.token),
      await claimOn(api.app, f, e.token),
      await claimOn(api.app, { roundId: f.roundId, offerId: randomUUID() }, e.token),
    ];
    expect(answers.map((x) => x.code ?? x.status)).toEqual([
      201,
      201,
      'LIMIT_REACHED',
      201,
      201,
      'SOLD_OUT',
      'SOLD_OUT',
      'OFFER_NOT_FOUND',
    ]);

    const round = await roundOnceFlushed(
      f,
      f.roundId,
      (r) => sum(r.perSecond.claims) >= 3 && sum(r.perSecond.refusals) >= 3,
    );
    expect(await monitor(f.campaignId)).toMatchObject({ campaignId: f.campaignId, campaignName: '测试消费券' });
    expect(round).toMatchObject({
      status: 'open',
      claimed: 3,
      offers: [{ offerId: f.offerId, stock: 3, claimed: 3, remaining: 0 }],
      sellOutInSeconds: 0,
      refusals: [
        { code: 'SOLD_OUT', count: 2 },
        { code: 'OFFER_NOT_FOUND', count: 1 },
      ],
    });
    expect(sum(round.perSecond.claims)).toBe(3);
    expect(sum(round.perSecond.refusals)).toBe(3);
    expect(round.perSecond.claims).toHaveLength(300);
    // The series ends with the newest complete second, before the answer's time.
    expect(Date.parse(round.perSecond.from) + 300 * 1000).toBeLessThanOrEqual(
      Date.parse((await monitor(f.campaignId)).serverTime),
    );

    // The campaign's other round: one refusal at the campaign limit, nothing claimed, so no sell-out in sight.
    const other = await roundOnceFlushed(f, f.second.roundId, (r) => r.refusals.length > 0);
    expect(other).toMatchObject({
      claimed: 0,
      claimsPerSecond: 0,
      sellOutInSeconds: null,
      refusals: [{ code: 'LIMIT_REACHED', count: 1 }],
      offers: [{ remaining: 3 }],
    });
    expect(sum(other.perSecond.claims)).toBe(0);
  });

  it('estimates the time to sell-out from the recent claim rate', async () => {
    const f = await createClaimFixture(api.db, api.env.config, { stock: 50, residents: 4, perPersonLimit: 1 });
    for (const [i, resident] of f.residents.entries())
      expect((await claimOn(i % 2 ? replica : api.app, f.second, resident.token)).status).toBe(201);
    const round = await roundOnceFlushed(f, f.second.roundId, (r) => sum(r.perSecond.claims) >= 4);
    const recent = sum(round.perSecond.claims.slice(-10));
    // Four claims a few seconds ago are within the rate's last ten seconds: 46 left at 0.4 per second.
    expect(recent).toBe(4);
    expect(round).toMatchObject({ claimed: 4, claimsPerSecond: 0, sellOutInSeconds: 115, offers: [{ remaining: 46 }] });
  });

  it('records no activity for a round id the api does not know', async () => {
    const unknown = randomUUID();
    const f = await createClaimFixture(api.db, api.env.config, { stock: 1, residents: 1 });
    const [resident] = f.residents;
    expect(await claimOn(api.app, { roundId: unknown, offerId: f.offerId }, resident.token)).toMatchObject({
      status: 404,
      code: 'ROUND_NOT_FOUND',
    });
    expect(await claimOn(api.app, { roundId: f.roundId, offerId: randomUUID() }, resident.token)).toMatchObject({
      status: 404,
      code: 'OFFER_NOT_FOUND',
    });
    await api.app.get(ClaimActivity).flush();
    const redis = api.app.get<Redis>(REDIS);
    const prefix = api.env.config.REDIS_KEY_PREFIX;
    expect(await redis.keys(`${prefix}:{m:${unknown}}*`)).toEqual([]);
    expect(await redis.hgetall(`${prefix}:{m:${f.roundId}}:t`)).toEqual({ OFFER_NOT_FOUND: '1' });
  });

  it('answers every console polling within a second with one read', async () => {
    const f = await createClaimFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const [first, second] = await Promise.all([
      monitor(f.campaignId),
      monitor(f.campaignId, await api.login('auditor')),
    ]);
    expect(second.serverTime).toBe(first.serverTime);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expect((await monitor(f.campaignId)).serverTime).not.toBe(first.serverTime);
  });

  it("shows a county admin their county's and city-wide campaigns only, else 404 as for a missing id", async () => {
    const f = await createClaimFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const county = await api.login('hanbin-admin');
    expect((await api.call('GET', `/campaigns/${f.campaignId}/monitor`, { token: county })).status).toBe(200);
    await api.db.query(`UPDATE campaigns SET scope_county_code = 'xunyang' WHERE id = $1`, [f.campaignId]);
    // After the answer cached for a second.
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const outside = await api.call('GET', `/campaigns/${f.campaignId}/monitor`, { token: county });
    const missing = await api.call('GET', `/campaigns/${randomUUID()}/monitor`, { token: county });
    expect([outside.status, outside.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    expect([missing.status, missing.body.code]).toEqual([404, 'CAMPAIGN_NOT_FOUND']);
    expect(
      (await api.call('GET', `/campaigns/${f.campaignId}/monitor`, { token: await api.login('xunyang-admin') })).status,
    ).toBe(200);
    expect(
      (await api.call('GET', `/campaigns/${f.campaignId}/monitor`, { token: await api.login('finance') })).status,
    ).toBe(403);
  });
});
