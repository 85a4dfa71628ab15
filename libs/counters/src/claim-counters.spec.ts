import Redis from 'ioredis';
import { configWith, loadConfig } from '@quan/config';
import { deleteKeysOfPrefix } from '@quan/data';
import { ClaimCounters, ClaimPlace } from './claim-counters';
import { idempotencyKey, personKey, roundKey } from './keys';

describe('ClaimCounters (claim.lua and unclaim.lua)', () => {
  const base = loadConfig(process.env);
  const prefix = `${base.REDIS_KEY_PREFIX}-unclaim${Date.now().toString(36)}`;
  const redis = new Redis(base.REDIS_URL, { maxRetriesPerRequest: 1 });
  const counters = new ClaimCounters(redis, configWith(base, { REDIS_KEY_PREFIX: prefix }));
  const [round, round2, person] = [
    roundKey(prefix, 'c1', 'r1'),
    roundKey(prefix, 'c1', 'r2'),
    personKey(prefix, 'c1', 'p1'),
  ];
  const place: ClaimPlace = {
    campaignId: 'c1',
    roundId: 'r1',
    offerId: 'o1',
    identityId: 'p1',
    residentId: 'res1',
    limitedCategories: [],
  };
  // 2026-11-27 in Asia/Shanghai, the business day the person counts are kept under.
  const decidedAt = new Date('2026-11-27T04:00:00Z');
  // The scripts fence counters not stamped with the run id of the server they run on (prelude.lua).
  let run = '';
  const decide = (claim: Partial<ClaimPlace>) =>
    counters.decide({ ...place, ...claim, runId: run, decidedAt, pendingSeconds: 60 });

  beforeAll(async () => {
    run = /run_id:(\w+)/.exec(await redis.info('server'))![1];
  });

  beforeEach(async () => {
    await redis.del(round, round2, person);
    await redis.hset(round, { run, 's:o1': 10, 'i:o1': 5 });
  });

  afterAll(async () => {
    await deleteKeysOfPrefix(redis, prefix);
    redis.disconnect();
  });

  it('fences counters stamped with another run id, and names the run id of the server', async () => {
    await redis.hset(round, { run: 'another-run' });
    expect(await decide({})).toEqual({ status: 'FENCED', runId: run });
    await redis.hset(round, { run });
    expect(await counters.decide({ ...place, runId: 'another-run', decidedAt, pendingSeconds: 60 })).toEqual({
      status: 'FENCED',
      runId: run,
    });
  });

  it("keeps a request's Idempotency-Key in progress for the lifetime it is given", async () => {
    const keyed = idempotencyKey(prefix, 'c1', 'res1', 'k1');
    const now = decidedAt.getTime();
    await redis.hset(round, { open: now - 1000, close: now + 60000, live: 1, lim: 1 });
    expect(await decide({ idempotencyKey: 'k1' })).toEqual({ status: 'OK', personSeq: 1 });
    expect(await redis.get(keyed)).toBe('pending:r1/o1');
    expect(await redis.ttl(keyed)).toBe(60);
    expect(await decide({ idempotencyKey: 'k1' })).toEqual({ status: 'IN_PROGRESS', sameRequest: true });
    await redis.hset(round, { 'i:o2': 0, 's:o2': 1 });
    expect(await decide({ idempotencyKey: 'k1', offerId: 'o2' })).toEqual({
      status: 'IN_PROGRESS',
      sameRequest: false,
    });
  });

  it('answers a key recorded after its commit with the claim, and tells a key reused for another offer', async () => {
    const now = decidedAt.getTime();
    await redis.hset(round, { open: now - 1000, close: now + 60000, live: 1, lim: 5 });
    counters.recordAnswer({ ...place, idempotencyKey: 'k3', claimId: 'claim-1' });
    await redis.ping(); // after the record's write on the same connection
    expect(await decide({ idempotencyKey: 'k3' })).toEqual({
      status: 'DUPLICATE',
      sameRequest: true,
      claimId: 'claim-1',
    });
    expect(await decide({ idempotencyKey: 'k3', offerId: 'o2' })).toEqual({
      status: 'DUPLICATE',
      sameRequest: false,
      claimId: 'claim-1',
    });
  });

  it("checks the person's limits before the stock, and tells a keyed refusal whether the person claimed in the round", async () => {
    const keyed = idempotencyKey(prefix, 'c1', 'res1', 'k2');
    const now = decidedAt.getTime();
    await redis.hset(round, { open: now - 1000, close: now + 60000, live: 1, lim: 1, 'i:o1': 10 });
    await redis.hset(person, { c: 1, 'r:r1': 1 });
    // At the limit with the offer sold out: the limit is the answer (the caller hands back the first claim).
    expect(await decide({ idempotencyKey: 'k2' })).toEqual({ status: 'LIMIT_REACHED', scope: 'campaign' });
    await redis.hset(round, { lim: 2 });
    await redis.hset(round2, {
      run,
      open: now - 1000,
      close: now + 60000,
      live: 1,
      lim: 2,
      's:o1': 10,
      'i:o1': 10,
    });
    expect(await decide({ idempotencyKey: 'k2' })).toEqual({ status: 'SOLD_OUT', claimedInRound: true });
    expect(await decide({ idempotencyKey: 'k2', roundId: 'r2' })).toEqual({
      status: 'SOLD_OUT',
      claimedInRound: false,
    });
    expect(await decide({})).toEqual({ status: 'SOLD_OUT', claimedInRound: false });
    expect(await redis.exists(keyed)).toBe(0);
  });

  it('gives back the stock and the person counts of a claim whose commit failed', async () => {
    await redis.hset(person, { c: 2, 'r:r1': 1, 'd:2026-11-27': 2, 'g:food': 1 });
    await counters.giveBack({ ...place, limitedCategories: ['food'], runId: run, decidedAt, reason: 'failed' });
    expect(await redis.hget(round, 'i:o1')).toBe('4');
    expect(await redis.hgetall(person)).toEqual({ c: '1', 'r:r1': '0', 'd:2026-11-27': '1', 'g:food': '0' });
  });

  it('never takes a person count below zero (counts already taken from Postgres without the claim)', async () => {
    await redis.hset(person, { c: 0 });
    await counters.giveBack({ ...place, limitedCategories: ['food'], runId: run, decidedAt, reason: 'failed' });
    expect(await redis.hgetall(person)).toEqual({ c: '0' });
    expect(await redis.hget(round, 'i:o1')).toBe('4');
  });

  it('tells the stock left per offer of prepared rounds only', async () => {
    expect(
      await counters.stockOf([
        { campaignId: 'c1', roundId: 'r1', offerIds: ['o1', 'o2'] },
        { campaignId: 'c1', roundId: 'r9', offerIds: ['o1'] },
      ]),
    ).toEqual([[{ stock: 10, issued: 5 }, undefined], [undefined]]);
  });
});
