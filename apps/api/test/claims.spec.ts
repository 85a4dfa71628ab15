import { randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { fetch } from 'undici';
import { DataSource } from 'typeorm';
import { idempotencyKey, personKey, roundKey } from '@quan/counters';
import { ClaimAnswer, ClaimFixture, createClaimFixture, postClaim } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

describe('claiming vouchers when a round opens (real Postgres and Redis)', () => {
  let api: ListeningApi;
  let env: ListeningApi['env'];
  let dataSource: DataSource;
  let redis: Redis;

  beforeAll(async () => {
    api = await listenApi();
    ({ env, db: dataSource, redis } = api);
  });

  afterAll(() => api?.close());

  const roundTimes = async (roundId: string): Promise<[string, string]> => {
    const [row] = (await dataSource.query('SELECT opens_at, closes_at FROM rounds WHERE id = $1', [roundId])) as {
      opens_at: Date;
      closes_at: Date;
    }[];
    return [row.opens_at.toISOString(), row.closes_at.toISOString()];
  };

  const claim = (fixture: ClaimFixture, token: string, offerId = fixture.offerId, key?: string): Promise<ClaimAnswer> =>
    postClaim(api.base, fixture, token, { offerId, idempotencyKey: key, dispatcher: api.clients });

  it('3,000 simultaneous claims by 1,500 residents (limit 1) on a round of 500 issue exactly 500, nobody twice', async () => {
    const fixture = await createClaimFixture(dataSource, env.config, { stock: 500, residents: 1500 });
    const attempts = fixture.residents.flatMap((resident) => [resident, resident]).sort(() => Math.random() - 0.5);
    const answers = await Promise.all(attempts.map((resident) => claim(fixture, resident.token)));

    const won = answers.filter((a) => a.status === 201);
    const claimIds = new Set(won.map((a) => a.body.claimId));
    expect(claimIds.size).toBe(500);
    const refused = answers.filter((a) => a.status !== 201);
    expect(refused.every((a) => a.status === 409 && ['SOLD_OUT', 'LIMIT_REACHED'].includes(a.body.code!))).toBe(true);

    const [{ claims, people, vouchers, issued }] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT count(*)::int FROM vouchers v JOIN claims c ON c.id = v.claim_id WHERE c.round_id = $1) AS vouchers,
              (SELECT issued FROM round_offers WHERE id = $2) AS issued`,
      [fixture.roundId, fixture.offerId],
    );
    expect({ claims, people, vouchers, issued }).toEqual({ claims: 500, people: 500, vouchers: 1000, issued: 500 });
    for (const id of claimIds) expect(typeof id).toBe('string');
    // Claims committed together: each voucher is stored under the claim it was answered with, with its resident, campaign and time.
    const stored = (await dataSource.query(
      `SELECT v.id, v.short_code, c.id AS claim_id, c.claimed_at FROM vouchers v JOIN claims c ON c.id = v.claim_id
        WHERE c.round_id = $1 AND v.resident_id = c.resident_id AND v.campaign_id = c.campaign_id AND v.claimed_at = c.claimed_at`,
      [fixture.roundId],
    )) as { id: string; short_code: string; claim_id: string; claimed_at: Date }[];
    const key = (claimId: string, claimedAt: string, id: string, code: string) =>
      `${claimId} ${claimedAt} ${id} ${code}`;
    expect(new Set(stored.map((v) => key(v.claim_id, v.claimed_at.toISOString(), v.id, v.short_code)))).toEqual(
      new Set(
        won.flatMap((a) => a.body.vouchers!.map((v) => key(a.body.claimId!, a.body.claimedAt!, v.id, v.shortCode))),
      ),
    );

    const prefix = env.config.REDIS_KEY_PREFIX;
    expect(
      Number(await redis.hget(roundKey(prefix, fixture.campaignId, fixture.roundId), `i:${fixture.offerId}`)),
    ).toBe(500);
    const personCounts = await Promise.all(
      fixture.residents.map((r) => redis.hget(personKey(prefix, fixture.campaignId, r.identityId), 'c')),
    );
    expect(personCounts.reduce((sum, c) => sum + Number(c ?? 0), 0)).toBe(500);
    expect(personCounts.every((c) => c === null || c === '1')).toBe(true);
  }, 120000);

  it('answers a retry with the same Idempotency-Key with the first claim, and a reused key for another offer with 422', async () => {
    const fixture = await createClaimFixture(dataSource, env.config, { stock: 10, residents: 2 });
    const [resident] = fixture.residents;
    const first = await claim(fixture, resident.token, fixture.offerId, 'retry-key-0001');
    const again = await claim(fixture, resident.token, fixture.offerId, 'retry-key-0001');
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(first.body.vouchers).toHaveLength(2);
    const otherCampaign = await createClaimFixture(dataSource, env.config, { stock: 10, residents: 1 });
    const other = await claim(otherCampaign, resident.token, otherCampaign.offerId, 'retry-key-0001');
    expect([other.status, other.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect(
      (await dataSource.query(`SELECT issued FROM round_offers WHERE id = $1`, [otherCampaign.offerId]))[0].issued,
    ).toBe(0);
    // A retry without a key after a lost answer gets the first claim back, not a second voucher.
    const withoutKey = await claim(fixture, resident.token);
    expect(withoutKey.status).toBe(201);
    expect(withoutKey.body.claimId).toBe(first.body.claimId);
    expect(
      (await dataSource.query(`SELECT count(*)::int AS n FROM claims WHERE resident_id = $1`, [resident.id]))[0].n,
    ).toBe(1);
  });

  it("answers a retry at the limit with its own key's claim when the key's record in Redis is gone", async () => {
    const fixture = await createClaimFixture(dataSource, env.config, { stock: 10, residents: 1, perPersonLimit: 2 });
    const [resident] = fixture.residents;
    const first = await claim(fixture, resident.token, fixture.offerId, 'lost-record-1');
    const second = await claim(fixture, resident.token, fixture.offerId, 'lost-record-2');
    expect([first.status, second.status]).toEqual([201, 201]);
    // Lost with a Redis restart, say: the retry is decided again and meets the limit.
    await redis.del(idempotencyKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId, resident.id, 'lost-record-2'));
    const retry = await claim(fixture, resident.token, fixture.offerId, 'lost-record-2');
    expect(retry.status).toBe(201);
    expect(retry.body.claimId).toBe(second.body.claimId);
  });

  it('enforces the per-person limits of the campaign, of a round and of a business day', async () => {
    const daily = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 1,
      perPersonLimit: 3,
      perPersonDailyLimit: 1,
    });
    const [resident] = daily.residents;
    expect((await claim(daily, resident.token)).status).toBe(201);
    const secondToday = await claim({ ...daily, ...daily.second }, resident.token);
    expect([secondToday.status, secondToday.body.code]).toEqual([409, 'LIMIT_REACHED']);

    const campaignWide = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 1,
      perPersonLimit: 1,
    });
    expect((await claim(campaignWide, campaignWide.residents[0].token)).status).toBe(201);
    const again = await claim({ ...campaignWide, ...campaignWide.second }, campaignWide.residents[0].token);
    expect([again.status, again.body.code]).toEqual([409, 'LIMIT_REACHED']);

    const twoRounds = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 1,
      perPersonLimit: 2,
      perPersonRoundLimit: 1,
    });
    expect((await claim(twoRounds, twoRounds.residents[0].token)).status).toBe(201);
    expect((await claim({ ...twoRounds, ...twoRounds.second }, twoRounds.residents[0].token)).status).toBe(201);
    const issued = await dataSource.query(`SELECT count(*)::int AS n FROM claims WHERE campaign_id = $1`, [
      twoRounds.campaignId,
    ]);
    expect(issued[0].n).toBe(2);
  });

  it('enforces per-category limits, also after the counters are rebuilt from Postgres', async () => {
    const fixture = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 2,
      perPersonLimit: 3,
      perPersonCategoryLimits: { catering: 1 },
    });
    const [first, second] = fixture.residents;
    expect((await claim(fixture, first.token)).status).toBe(201);
    const over = await claim({ ...fixture, ...fixture.second }, first.token);
    expect([over.status, over.body.code]).toEqual([409, 'LIMIT_REACHED']);

    // Fence the rounds, as after a Redis restart: the next claim rebuilds every count from Postgres.
    for (const roundId of [fixture.roundId, fixture.second.roundId])
      await redis.hdel(roundKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId, roundId), 'run');
    expect((await claim({ ...fixture, ...fixture.second }, first.token)).body.code).toBe('LIMIT_REACHED');
    expect((await claim({ ...fixture, ...fixture.second }, second.token)).status).toBe(201);
  });

  it('refuses claims before the round opens, after it closes, for unknown rounds and offers, and without identity', async () => {
    const upcoming = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 1,
      opensInMs: 3600000,
      closesInMs: 7200000,
    });
    const [opensAt] = await roundTimes(upcoming.roundId);
    expect((await claim(upcoming, upcoming.residents[0].token)).body).toMatchObject({
      status: 409,
      code: 'ROUND_NOT_OPEN',
      opensAt,
      detail: `The round opens at ${opensAt}`,
    });
    const closed = await createClaimFixture(dataSource, env.config, {
      stock: 10,
      residents: 1,
      opensInMs: -7200000,
      closesInMs: -60000,
    });
    expect((await claim(closed, closed.residents[0].token)).body).toMatchObject({
      status: 409,
      code: 'ROUND_CLOSED',
      closesAt: (await roundTimes(closed.roundId))[1],
    });

    const paused = await createClaimFixture(dataSource, env.config, { stock: 10, residents: 1 });
    await dataSource.query('UPDATE rounds SET paused = true WHERE id = $1', [paused.roundId]);
    expect((await claim(paused, paused.residents[0].token)).body).toMatchObject({
      code: 'ROUND_NOT_OPEN',
      opensAt: (await roundTimes(paused.roundId))[0],
      detail: 'The round is paused',
    });

    const open = await createClaimFixture(dataSource, env.config, { stock: 10, residents: 1 });
    const unknownOffer = await claim(open, open.residents[0].token, '00000000-0000-4000-8000-000000000000');
    expect([unknownOffer.status, unknownOffer.body.code]).toEqual([404, 'OFFER_NOT_FOUND']);
    const unknownRound = await claim(
      { ...open, roundId: '00000000-0000-4000-8000-000000000001' },
      open.residents[0].token,
    );
    expect([unknownRound.status, unknownRound.body.code]).toEqual([404, 'ROUND_NOT_FOUND']);
    const post = (body: string, token?: string) =>
      fetch(`${api.base}/rounds/${open.roundId}/claims`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
      });
    for (const [body, fields] of [
      ['{"offerId":"nope"}', ['offerId']],
      [`{"offerId":"urn:uuid:${open.offerId}"}`, ['offerId']],
      ['{}', ['offerId']],
      [`{"offerId":"${open.offerId}","n":2}`, ['n']],
      ['[]', ['body']],
    ] as const) {
      const bad = await post(body, open.residents[0].token);
      const problem = (await bad.json()) as { code: string; errors: { field: string; messages: string[] }[] };
      expect([bad.status, problem.code, problem.errors.map((e) => e.field)]).toEqual([
        400,
        'VALIDATION_FAILED',
        fields,
      ]);
      expect(problem.errors[0].messages[0]).toMatch(new RegExp(`^${fields[0]} `));
    }
    // Authentication comes first: a caller without a token learns nothing about the body.
    expect((await post('{"offerId":"nope"}')).status).toBe(401);
    expect(
      (await dataSource.query(`SELECT count(*)::int AS n FROM claims WHERE round_id = $1`, [open.roundId]))[0].n,
    ).toBe(0);
  });

  it('tells the server time to the millisecond, and when a page waiting for a round should ask again', async () => {
    const soon = await createClaimFixture(dataSource, env.config, { stock: 5, residents: 0, opensInMs: 3000 });
    const far = await createClaimFixture(dataSource, env.config, {
      stock: 5,
      residents: 0,
      opensInMs: 3_600_000,
      closesInMs: 7_200_000,
    });
    type Listed = { id: string; status: string; serverTime: string; pollAfterMs: number | null };
    let [listed, before, after]: [Listed[], number, number] = [[], 0, 0];
    // New rounds join the listing at the catalogue's next refresh.
    while (!listed.some((round) => round.id === far.roundId)) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      before = Date.now();
      listed = (await (await fetch(`${api.base}/rounds?status=open&status=upcoming`)).json()) as Listed[];
      after = Date.now();
    }
    const byId = new Map(listed.map((round) => [round.id, round]));
    for (const round of listed) expect(Date.parse(round.serverTime)).toBeGreaterThanOrEqual(before - 5);
    for (const round of listed) expect(Date.parse(round.serverTime)).toBeLessThanOrEqual(after + 5);
    const waiting = byId.get(soon.roundId)!;
    expect(waiting.status).toBe('upcoming');
    // At the opening, at a moment within its first second.
    const untilOpening =
      Date.parse(
        (
          (await dataSource.query('SELECT opens_at FROM rounds WHERE id = $1', [soon.roundId])) as { opens_at: Date }[]
        )[0].opens_at.toISOString(),
      ) - Date.parse(waiting.serverTime);
    expect(waiting.pollAfterMs).toBeGreaterThanOrEqual(untilOpening);
    expect(waiting.pollAfterMs).toBeLessThan(untilOpening + 1000);
    // A round further off is asked about again within a minute (its time may change).
    expect(byId.get(far.roundId)!.pollAfterMs).toBe(60_000);
    expect(byId.get(soon.second.roundId)!.pollAfterMs).not.toBeNull();
    const detail = (await (await fetch(`${api.base}/rounds/${far.roundId}`)).json()) as {
      pollAfterMs: number;
      serverTime: string;
    };
    expect(detail).toMatchObject({ pollAfterMs: 60_000, serverTime: expect.any(String) });
    // An open round needs no poll to open.
    const open = await createClaimFixture(dataSource, env.config, { stock: 5, residents: 0 });
    let answer = await fetch(`${api.base}/rounds/${open.roundId}`);
    while (answer.status === 404) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await fetch(`${api.base}/rounds/${open.roundId}`);
    }
    expect(((await answer.json()) as { pollAfterMs: null }).pollAfterMs).toBeNull();
  });

  it("lists open rounds with the stock left, and the resident's vouchers with short codes", async () => {
    const fixture = await createClaimFixture(dataSource, env.config, { stock: 7, residents: 1 });
    const [resident] = fixture.residents;
    const claimed = await claim(fixture, resident.token);
    await new Promise((resolve) => setTimeout(resolve, 600));
    const rounds = (await (await fetch(`${api.base}/rounds?status=open`)).json()) as {
      id: string;
      status: string;
      offers: { remaining: number; stock: number }[];
    }[];
    const round = rounds.find((r) => r.id === fixture.roundId)!;
    expect(round.status).toBe('open');
    expect(round.offers[0]).toMatchObject({ stock: 7, remaining: 6 });

    const detail = await fetch(`${api.base}/rounds/${fixture.roundId}`);
    expect([detail.status, ((await detail.json()) as { offers: unknown[] }).offers]).toEqual([200, round.offers]);
    expect((await fetch(`${api.base}/rounds/${randomUUID()}`)).status).toBe(404);

    const vouchers = (await (
      await fetch(`${api.base}/me/vouchers`, { headers: { authorization: `Bearer ${resident.token}` } })
    ).json()) as { shortCode: string; status: string }[];
    expect(vouchers.map((v) => v.shortCode).sort()).toEqual(claimed.body.vouchers!.map((v) => v.shortCode).sort());
    expect(vouchers.every((v) => v.status === 'claimed')).toBe(true);
  });
});
