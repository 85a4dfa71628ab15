import Redis from 'ioredis';
import { loadConfig } from '@quan/config';
import { deleteKeysOfPrefix, idempotencyKey, personKey, roundKey } from '@quan/data';
import { defineClaimScripts } from './claim-scripts';

describe('claim.lua and unclaim.lua', () => {
  const config = loadConfig(process.env);
  const prefix = `${config.REDIS_KEY_PREFIX}-unclaim${Date.now().toString(36)}`;
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  const scripts = defineClaimScripts(redis);
  const [round, person, key] = [roundKey(prefix, 'c1', 'r1'), personKey(prefix, 'c1', 'p1'), idempotencyKey(prefix, 'c1', 'res1', '-')];

  beforeEach(async () => {
    await redis.del(round, person);
    await redis.hset(round, { run: 'run-1', 's:o1': 10, 'i:o1': 5 });
  });

  afterAll(async () => {
    await deleteKeysOfPrefix(redis, prefix);
    redis.disconnect();
  });

  it('keeps a request\'s Idempotency-Key in progress for the lifetime it is given', async () => {
    const keyed = idempotencyKey(prefix, 'c1', 'res1', 'k1');
    const now = Date.now();
    await redis.hset(round, { open: now - 1000, close: now + 60000, live: 1, lim: 1 });
    const decided = await scripts.claim(round, person, keyed, now, 'o1', 'r1', 'run-1', 60, 'r1/o1', '2026-11-27');
    expect(decided).toEqual(['OK', '1']);
    expect(await redis.get(keyed)).toBe('pending:r1/o1');
    expect(await redis.ttl(keyed)).toBe(60);
    expect(await scripts.claim(round, person, keyed, now, 'o1', 'r1', 'run-1', 60, 'r1/o1', '2026-11-27')).toEqual(['IN_PROGRESS', 'r1/o1']);
  });

  it('checks the person\'s limits before the stock, and tells a keyed refusal whether the person claimed in the round', async () => {
    const keyed = idempotencyKey(prefix, 'c1', 'res1', 'k2');
    const now = Date.now();
    await redis.hset(round, { open: now - 1000, close: now + 60000, live: 1, lim: 1, 'i:o1': 10 });
    await redis.hset(person, { c: 1, 'r:r1': 1 });
    // At the limit with the offer sold out: the limit is the answer (the caller hands back the first claim).
    expect(await scripts.claim(round, person, keyed, now, 'o1', 'r1', 'run-1', 60, 'r1/o1', '2026-11-27')).toEqual(['LIMIT_REACHED', 'campaign']);
    await redis.hset(round, { lim: 2 });
    expect(await scripts.claim(round, person, keyed, now, 'o1', 'r1', 'run-1', 60, 'r1/o1', '2026-11-27')).toEqual(['SOLD_OUT', '', '1']);
    expect(await scripts.claim(round, person, keyed, now, 'o1', 'r2', 'run-1', 60, 'r2/o1', '2026-11-27')).toEqual(['SOLD_OUT', '', '0']);
    expect(await scripts.claim(round, person, key, now, 'o1', 'r1', 'run-1', 0, 'r1/o1', '2026-11-27')).toEqual(['SOLD_OUT', '']);
    expect(await redis.exists(keyed)).toBe(0);
  });

  it('gives back the stock and the person counts of a claim whose commit failed', async () => {
    await redis.hset(person, { c: 2, 'r:r1': 1, 'd:2026-11-27': 2, 'g:food': 1 });
    await scripts.unclaim(round, person, key, 'o1', 'r1', 'run-1', 'failed', '2026-11-27', 'food');
    expect(await redis.hget(round, 'i:o1')).toBe('4');
    expect(await redis.hgetall(person)).toEqual({ c: '1', 'r:r1': '0', 'd:2026-11-27': '1', 'g:food': '0' });
  });

  it('never takes a person count below zero (counts already taken from Postgres without the claim)', async () => {
    await redis.hset(person, { c: 0 });
    await scripts.unclaim(round, person, key, 'o1', 'r1', 'run-1', 'failed', '2026-11-27', 'food');
    expect(await redis.hgetall(person)).toEqual({ c: '0' });
    expect(await redis.hget(round, 'i:o1')).toBe('4');
  });
});
