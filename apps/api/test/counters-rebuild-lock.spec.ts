import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { CampaignCounters, campaignTag, personKey, roundKey } from '@quan/counters';
import { waitUntil } from '@quan/platform';
import { createDataSource } from '@quan/data';
import { createClaimFixture, createTestEnvironment, TestEnvironment } from '@quan/testing';

/**
 * A rebuild of a campaign's claim counters runs in one process at a time, under a Redis lock. A process
 * that stalls until its lock lapses, while another process takes the lock and rebuilds, must write nothing
 * from its older snapshot: neither person counts nor the fence, or claims decided since would be lost.
 */
describe('claim counter rebuilds under a lock', () => {
  let env: TestEnvironment;
  let db: DataSource;
  let redis: Redis;
  let counters: CampaignCounters;

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
    redis = new Redis(env.config.REDIS_URL);
    counters = new CampaignCounters(db, redis, env.config);
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.destroy();
    await env?.dispose();
  });

  it('renews its lock while it works, and writes nothing once another process took the lock', async () => {
    const fixture = await createClaimFixture(db, env.config, { stock: 10, residents: 1 });
    const lock = `${campaignTag(env.config.REDIS_KEY_PREFIX, fixture.campaignId)}:rebuild`;
    const fence = () => redis.hget(roundKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId), 'run');
    const person = personKey(env.config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.residents[0].identityId);

    // The rebuild stalls on its read of the claims, which waits for the test's lock on the table.
    const blocker = db.createQueryRunner();
    await blocker.connect();
    let rebuilding: Promise<unknown> | undefined;
    try {
      await blocker.startTransaction();
      await blocker.query('LOCK TABLE claims IN ACCESS EXCLUSIVE MODE');
      rebuilding = counters
        .rebuild({ campaignId: fixture.campaignId, runId: 'run-after-restart' })
        .catch((error: unknown) => error);
      await waitUntil(
        'the rebuild waits for the claims',
        async () =>
          (
            (await db.query(
              `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
            )) as { n: number }[]
          )[0].n > 0,
        10000,
      );
      // While it waits, it keeps its lock: renewed every 10 s, it would otherwise have under 20 s left.
      await new Promise((resolve) => setTimeout(resolve, 10500));
      expect(await redis.pttl(lock)).toBeGreaterThan(25000);
      // Say it stalls longer than its lock lasts: the lock lapses, another process takes it and rebuilds,
      // and a resident's claim is counted.
      await redis.set(lock, 'another-process');
      await redis.hset(person, { c: 1, [`r:${fixture.roundId}`]: 1 });
    } finally {
      await blocker.commitTransaction().catch(() => undefined);
      await blocker.release();
    }

    // The stalled rebuild writes nothing: neither its older counts of that person nor the fence.
    expect(await rebuilding).toMatchObject({ code: 'UNAVAILABLE' });
    expect(await redis.hgetall(person)).toEqual({ c: '1', [`r:${fixture.roundId}`]: '1' });
    expect(await fence()).not.toBe('run-after-restart');
    expect(await redis.get(lock)).toBe('another-process');

    // Once the lock is free, a rebuild lifts the fence.
    await redis.del(lock);
    await counters.rebuild({ campaignId: fixture.campaignId, runId: 'run-after-restart' });
    expect(await fence()).toBe('run-after-restart');
  }, 30000);
});
