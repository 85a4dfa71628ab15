import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { idempotencyKey, roundKey } from '@quan/counters';
import { ClaimAnswer, ClaimFixture, createClaimFixture, postClaim } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

/** Every replay of an Idempotency-Key answered 2xx gets that same answer, whatever happened since. */
describe('claim replays never flip (real Postgres and Redis)', () => {
  let api: ListeningApi;
  let db: DataSource;
  let redis: Redis;

  beforeAll(async () => {
    api = await listenApi();
    ({ db, redis } = api);
  });

  afterAll(() => api?.close());

  const claim = (fixture: ClaimFixture, token: string, key?: string): Promise<ClaimAnswer> =>
    postClaim(api.base, fixture, token, { idempotencyKey: key, dispatcher: api.clients });
  const keyOf = (fixture: ClaimFixture, residentId: string, key: string) =>
    idempotencyKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId, residentId, key);
  const roundOf = (fixture: ClaimFixture) =>
    roundKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId);

  it('answers a key that the limit path answered with the same claim after the last stock is taken, after Redis forgets it and after the close', async () => {
    const fixture = await createClaimFixture(db, api.env.config, { stock: 2, residents: 3 });
    const [a, b, c] = fixture.residents;
    const first = await claim(fixture, a.token, 'first-key');
    const second = await claim(fixture, a.token, 'second-key');
    expect([first.status, second.status]).toEqual([201, 201]);
    expect(second.body).toEqual(first.body);
    expect((await claim(fixture, b.token, 'resident-b-key')).status).toBe(201);
    const late = await claim(fixture, c.token, 'resident-c-key');
    expect([late.status, late.body.code]).toEqual([409, 'SOLD_OUT']);

    const replays = async () => [
      await claim(fixture, a.token, 'second-key'),
      await claim(fixture, a.token, 'first-key'),
    ];
    expect(await replays()).toEqual([second, first]);
    // Redis forgets both keys and is fenced, as after a restart from an older file: rebuilt from Postgres.
    await redis.del(keyOf(fixture, a.id, 'first-key'), keyOf(fixture, a.id, 'second-key'));
    await redis.hdel(roundOf(fixture), 'run');
    expect(await replays()).toEqual([second, first]);
    // The round closes (in Redis, where the script reads it) and the keys' records are gone again.
    await redis.del(keyOf(fixture, a.id, 'first-key'), keyOf(fixture, a.id, 'second-key'));
    await redis.hset(roundOf(fixture), 'close', Date.now() - 1000);
    expect(await replays()).toEqual([second, first]);
    // A refusal is not an answer to keep: the key is decided again (here the round has closed since).
    expect((await claim(fixture, c.token, 'resident-c-key')).body.code).toBe('ROUND_CLOSED');

    const [{ claims, keys }] = await db.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(*)::int FROM claim_keys WHERE resident_id = $2) AS keys`,
      [fixture.roundId, a.id],
    );
    expect({ claims, keys }).toEqual({ claims: 2, keys: 1 });
  });

  it('answers a replay whose key Redis still holds as pending (a restart from a file older than the commit) with the committed claim', async () => {
    const fixture = await createClaimFixture(db, api.env.config, { stock: 1, residents: 1 });
    const [a] = fixture.residents;
    const first = await claim(fixture, a.token, 'pending-key-1');
    expect(first.status).toBe(201);
    await redis.set(keyOf(fixture, a.id, 'pending-key-1'), `pending:${fixture.roundId}/${fixture.offerId}`, 'EX', 60);
    expect(await claim(fixture, a.token, 'pending-key-1')).toEqual(first);
    // Told again: the next replay is answered from Redis.
    expect(await redis.get(keyOf(fixture, a.id, 'pending-key-1'))).toBe(
      `${fixture.roundId}/${fixture.offerId}|${first.body.claimId}`,
    );
    // A key that made no claim is still in progress while its record is pending.
    await redis.set(keyOf(fixture, a.id, 'pending-key-2'), `pending:${fixture.roundId}/${fixture.offerId}`, 'EX', 60);
    const unanswered = await claim(fixture, a.token, 'pending-key-2');
    expect([unanswered.status, unanswered.body.code]).toEqual([409, 'REQUEST_IN_PROGRESS']);
  });

  it('gives every key the same answer once one was 2xx, in a sell-out raced by retries with the same keys', async () => {
    const STOCK = 100;
    const fixture = await createClaimFixture(db, api.env.config, { stock: STOCK, residents: 400 });
    // Each resident uses two keys (a retry after a timeout with a new key), each sent twice at random moments.
    const requests = fixture.residents.flatMap((resident) =>
      ['a', 'b'].flatMap((suffix) => [0, 1].map(() => ({ resident, key: `race-${suffix}-${resident.id}` }))),
    );
    const sent: { key: string; residentId: string; sentAt: number; receivedAt: number; answer: ClaimAnswer }[] = [];
    await Promise.all(
      requests.map(async ({ resident, key }) => {
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 400));
        const sentAt = Date.now();
        const answer = await claim(fixture, resident.token, key);
        sent.push({ key, residentId: resident.id, sentAt, receivedAt: Date.now(), answer });
      }),
    );
    // And once more each, after the sell-out.
    await Promise.all(
      [...new Map(requests.map((r) => [r.key, r])).values()].map(async ({ resident, key }) => {
        const sentAt = Date.now();
        const answer = await claim(fixture, resident.token, key);
        sent.push({ key, residentId: resident.id, sentAt, receivedAt: Date.now(), answer });
      }),
    );

    const byKey = new Map<string, typeof sent>();
    for (const request of sent) byKey.set(request.key, [...(byKey.get(request.key) ?? []), request]);
    let answeredKeys = 0;
    for (const answers of byKey.values()) {
      const ok = answers.filter((r) => r.answer.status === 201);
      expect(answers.every((r) => r.answer.status === 201 || r.answer.status === 409)).toBe(true);
      if (ok.length === 0) continue;
      answeredKeys += 1;
      const firstOk = Math.min(...ok.map((r) => r.receivedAt));
      // Every answer of the key is the same claim, and every request sent after its first 201 got that 201.
      expect(new Set(ok.map((r) => JSON.stringify(r.answer.body))).size).toBe(1);
      expect(answers.filter((r) => r.sentAt >= firstOk).every((r) => r.answer.status === 201)).toBe(true);
    }

    const [{ claims, people, issued }] = await db.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT issued FROM round_offers WHERE id = $2) AS issued`,
      [fixture.roundId, fixture.offerId],
    );
    expect({ claims, people, issued }).toEqual({ claims: STOCK, people: STOCK, issued: STOCK });
    expect(Number(await redis.hget(roundOf(fixture), `i:${fixture.offerId}`))).toBe(STOCK);
    // Every claim answered is in Postgres, the resident's; the winners' keys are at least one per claim.
    const answered = [
      ...new Set(sent.filter((r) => r.answer.status === 201).map((r) => `${r.residentId} ${r.answer.body.claimId}`)),
    ];
    const stored = (await db.query(`SELECT resident_id, id FROM claims WHERE round_id = $1`, [fixture.roundId])) as {
      resident_id: string;
      id: string;
    }[];
    expect(new Set(answered)).toEqual(new Set(stored.map((row) => `${row.resident_id} ${row.id}`)));
    expect(answeredKeys).toBeGreaterThanOrEqual(STOCK);
  }, 120000);
});
