import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { configWith } from '@quan/config';
import { createDataSource, roundKey } from '@quan/data';
import { createClaimFixture, createTestApp, createTestEnvironment, freePort, OwnRedisServer, postClaim, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

const STOCK = 1200;
const RESIDENTS = 2000;
const CONCURRENCY = 40;

describe('claims survive kill -9 of Redis', () => {
  let env: TestEnvironment;
  let redisServer: OwnRedisServer;
  let app: NestFastifyApplication;
  let dataSource: DataSource;
  const clients = new Agent({ connections: CONCURRENCY });

  beforeAll(async () => {
    redisServer = await OwnRedisServer.start();
    env = await createTestEnvironment();
    const config = configWith(env.config, { REDIS_URL: redisServer.url });
    dataSource = createDataSource(config);
    await dataSource.initialize();
    app = await createTestApp(AppModule.register(config), config);
  });

  afterAll(async () => {
    await clients.close();
    await app?.close();
    await dataSource?.destroy();
    await redisServer?.stop();
    await env?.dispose();
  });

  it('keeps every acknowledged claim, never oversells, and resumes after the round is rebuilt', async () => {
    const config = configWith(env.config, { REDIS_URL: redisServer.url });
    const fixture = await createClaimFixture(dataSource, config, { stock: STOCK, residents: RESIDENTS });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    const apiBase = `http://127.0.0.1:${port}/api/v1`;

    const acked: { claimId: string; at: number }[] = [];
    const statuses = new Map<number, number>();
    let restartedAt = Number.POSITIVE_INFINITY;
    let next = 0;
    const worker = async () => {
      while (next < fixture.residents.length) {
        const resident = fixture.residents[next++];
        // A resident retries while the service is unavailable, as the app does, with the same key.
        for (let attempt = 0; attempt < 100; attempt += 1) {
          const { status, body } = await postClaim(apiBase, fixture, resident.token, { idempotencyKey: `fault-${resident.id}`, dispatcher: clients });
          statuses.set(status, (statuses.get(status) ?? 0) + 1);
          if (status === 201) acked.push({ claimId: body.claimId!, at: Date.now() });
          if (status !== 503) break;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    while (acked.length < STOCK / 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await redisServer.kill();
    const started = Date.now();
    const whileDown = await postClaim(apiBase, fixture, fixture.residents[RESIDENTS - 1].token, { dispatcher: clients });
    expect(whileDown.status).toBe(503);
    expect(whileDown.body.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await redisServer.restart();
    restartedAt = Date.now();
    await load;

    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(acked.some((claim) => claim.at > restartedAt)).toBe(true);

    const ackedIds = [...new Set(acked.map((claim) => claim.claimId))];
    const [{ found }] = await dataSource.query(`SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`, [ackedIds]);
    expect(found).toBe(ackedIds.length);

    const [{ claims, people, issued }] = await dataSource.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT issued FROM round_offers WHERE id = $2) AS issued`,
      [fixture.roundId, fixture.offerId],
    );
    expect(claims).toBeLessThanOrEqual(STOCK);
    expect(claims).toBe(STOCK);
    expect(people).toBe(claims);
    expect(issued).toBe(claims);

    const redis = new Redis(redisServer.url);
    const counted = await redis.hget(roundKey(config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId), `i:${fixture.offerId}`);
    redis.disconnect();
    expect(Number(counted)).toBe(claims);
  }, 120000);
});
