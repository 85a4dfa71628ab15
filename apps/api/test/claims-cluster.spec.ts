import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Cluster } from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { AppConfig, configWith } from '@quan/config';
import { CounterRuns, roundKey } from '@quan/counters';
import { createDataSource } from '@quan/data';
import {
  ClaimFixture,
  createClaimFixture,
  createTestApp,
  createTestEnvironment,
  freePort,
  OwnRedisCluster,
  postClaim,
  TestEnvironment,
} from '@quan/testing';
import { AppModule } from '../src/app.module';

const CONCURRENCY = 40;

interface Acked {
  claimId: string;
  at: number;
}

/**
 * Claims against a Redis Cluster of the test's own (3 masters, a replica each): the race of a sell-out, and a
 * kill -9 of the master holding the round while the load goes on, its replica promoted by the cluster.
 */
describe('claims on a Redis Cluster', () => {
  let env: TestEnvironment;
  let cluster: OwnRedisCluster;
  let config: AppConfig;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  let apiBase: string;
  const clients = new Agent({ connections: CONCURRENCY });

  beforeAll(async () => {
    cluster = await OwnRedisCluster.start({ nodeTimeoutMs: 1000 });
    env = await createTestEnvironment();
    config = configWith(env.config, { REDIS_CLUSTER_NODES: cluster.seeds });
    dataSource = createDataSource(config);
    await dataSource.initialize();
    app = await createTestApp(AppModule.register(config), config);
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    apiBase = `http://127.0.0.1:${port}/api/v1`;
  }, 60000);

  afterAll(async () => {
    await clients.close();
    await app?.close();
    await dataSource?.destroy();
    cluster?.stop();
    await env?.dispose();
  });

  /**
   * Every resident claims `tries` times at once (new keys, the app's retries with the same key while the
   * service answers 503), CONCURRENCY requests in flight; calls `during` once `trigger` claims are acknowledged.
   */
  async function sellOut(
    fixture: ClaimFixture,
    options: { tries: number; trigger?: number; during?: () => Promise<void> },
  ): Promise<{ acked: Acked[]; statuses: Map<number, number> }> {
    const acked: Acked[] = [];
    const statuses = new Map<number, number>();
    const requests = fixture.residents.flatMap((resident) =>
      Array.from({ length: options.tries }, (_, i) => ({ resident, key: `cluster-${resident.id}-${i}` })),
    );
    let next = 0;
    const worker = async () => {
      while (next < requests.length) {
        const { resident, key } = requests[next++];
        for (let attempt = 0; attempt < 200; attempt += 1) {
          const { status, body } = await postClaim(apiBase, fixture, resident.token, {
            idempotencyKey: key,
            dispatcher: clients,
          });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) acked.push({ claimId: body.claimId!, at: Date.now() });
          if (status !== 503) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));
    if (options.during) {
      while (acked.length < options.trigger!) await new Promise((resolve) => setTimeout(resolve, 10));
      await options.during();
    }
    await load;
    return { acked, statuses };
  }

  /** Postgres has every acknowledged claim, the round sold exactly its stock, one claim per person, and Redis agrees. */
  async function expectExactSellOut(fixture: ClaimFixture, stock: number, acked: Acked[]): Promise<void> {
    const ids = acked.map((claim) => claim.claimId);
    const [{ found }] = await dataSource.query(`SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`, [
      ids,
    ]);
    expect(found).toBe(new Set(ids).size);
    const [{ claims, people, issued }] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT issued FROM round_offers WHERE id = $2) AS issued`,
      [fixture.roundId, fixture.offerId],
    );
    expect(claims).toBe(stock);
    expect(people).toBe(claims);
    expect(issued).toBe(claims);
    expect(Number(await readRound(fixture, `i:${fixture.offerId}`))).toBe(claims);
  }

  /** A field of the fixture's round hash, as the cluster has it now. */
  async function readRound(fixture: ClaimFixture, field: string): Promise<string | null> {
    const redis = new Cluster(
      cluster.seeds.split(',').map((seed) => ({ host: '127.0.0.1', port: Number(seed.split(':')[1]) })),
    );
    try {
      return await redis.hget(roundKey(config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId), field);
    } finally {
      redis.disconnect();
    }
  }

  it('sells out exactly, holds the per-person limit and keeps every acknowledged claim in Postgres', async () => {
    // Three campaigns at once, so their slots (most likely) sit on different masters.
    const fixtures = await Promise.all(
      [0, 1, 2].map(() => createClaimFixture(dataSource, config, { stock: 200, residents: 260 })),
    );
    const results = await Promise.all(fixtures.map((fixture) => sellOut(fixture, { tries: 2 })));
    for (const [index, fixture] of fixtures.entries()) {
      expect(results[index].statuses.get(500) ?? 0).toBe(0);
      await expectExactSellOut(fixture, 200, results[index].acked);
    }
  }, 60000);

  it('loses no acknowledged claim and oversells nothing when the master holding the round is killed and its replica promoted', async () => {
    const stock = 900;
    const fixture = await createClaimFixture(dataSource, config, { stock, residents: 1300 });
    const holderRun = await app.get(CounterRuns, { strict: false }).current(fixture.campaignId);
    let killedAt = Number.POSITIVE_INFINITY;
    const { acked, statuses } = await sellOut(fixture, {
      tries: 1,
      trigger: stock / 3,
      during: async () => {
        const holder = await cluster.masterWithRun(holderRun);
        cluster.kill(holder);
        killedAt = Date.now();
      },
    });
    await cluster.waitHealthy();
    // The replica took over: another server, so another run id, and the round was fenced and rebuilt there.
    const promotedRun = await app.get(CounterRuns, { strict: false }).current(fixture.campaignId);
    expect(promotedRun).not.toBe(holderRun);
    expect(await readRound(fixture, 'run')).toBe(promotedRun);
    // Requests wait out the failover (the client retries on the promoted replica) or are answered 503: none fails.
    expect([...statuses.keys()].filter((status) => status >= 500 && status !== 503)).toEqual([]);
    expect(acked.some((claim) => claim.at > killedAt)).toBe(true);
    await expectExactSellOut(fixture, stock, acked);
  }, 60000);
});
