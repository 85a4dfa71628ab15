import { NestFastifyApplication } from '@nestjs/platform-fastify';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { Agent } from 'undici';
import { configWith } from '@quan/config';
import { roundKey } from '@quan/counters';
import { createDataSource } from '@quan/data';
import {
  createClaimFixture,
  createTestApp,
  createTestEnvironment,
  freePort,
  OwnRedisServer,
  postClaim,
  TestEnvironment,
} from '@quan/testing';
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

  it('keeps every acknowledged claim, never oversells, resumes after the round is rebuilt, and answers replays with the same claim', async () => {
    const config = configWith(env.config, { REDIS_URL: redisServer.url });
    const fixture = await createClaimFixture(dataSource, config, { stock: STOCK, residents: RESIDENTS });
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    const apiBase = `http://127.0.0.1:${port}/api/v1`;

    const acked: { claimId: string; at: number; resident: (typeof fixture.residents)[number]; key: string }[] = [];
    const statuses = new Map<number, number>();
    let restartedAt = Number.POSITIVE_INFINITY;
    let next = 0;
    // A resident retries while the service is unavailable, as the app does, with the same key.
    const untilAvailable = async (token: string, key: string) => {
      for (let attempt = 0; ; attempt += 1) {
        const answer = await postClaim(apiBase, fixture, token, { idempotencyKey: key, dispatcher: clients });
        statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
        if (answer.status !== 503 || attempt === 99) return answer;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    };
    // Every key answered 201 answers 201 with the same claim when sent again.
    const replay = (claims: typeof acked) =>
      Promise.all(
        claims.map(async (claim) => {
          const { status, body } = await untilAvailable(claim.resident.token, claim.key);
          return { sent: claim.claimId, status, code: body.code, got: body.claimId };
        }),
      );
    const worker = async () => {
      while (next < fixture.residents.length) {
        const resident = fixture.residents[next++];
        const key = `fault-${resident.id}`;
        const { status, body } = await untilAvailable(resident.token, key);
        if (status === 201) acked.push({ claimId: body.claimId!, at: Date.now(), resident, key });
      }
    };
    const load = Promise.all(Array.from({ length: CONCURRENCY }, worker));

    while (acked.length < STOCK / 3) await new Promise((resolve) => setTimeout(resolve, 10));
    await redisServer.kill();
    const beforeKill = [...acked];
    const started = Date.now();
    const whileDown = await postClaim(apiBase, fixture, fixture.residents[RESIDENTS - 1].token, {
      dispatcher: clients,
    });
    expect(whileDown.status).toBe(503);
    expect(whileDown.body.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(1000);
    await new Promise((resolve) => setTimeout(resolve, 700));
    await redisServer.restart();
    restartedAt = Date.now();
    // Replays sent right after the restart, while the round is rebuilt and the sell-out goes on.
    const replayedEarly = await replay(beforeKill);
    await load;
    const replayedAll = await replay(acked);
    for (const replayed of [...replayedEarly, ...replayedAll])
      expect(replayed).toEqual({ sent: replayed.sent, status: 201, code: undefined, got: replayed.sent });

    expect(statuses.get(503) ?? 0).toBeGreaterThan(0);
    expect(acked.some((claim) => claim.at > restartedAt)).toBe(true);

    const ackedIds = [...new Set(acked.map((claim) => claim.claimId))];
    const [{ found }] = await dataSource.query(`SELECT count(*)::int AS found FROM claims WHERE id = ANY($1::uuid[])`, [
      ackedIds,
    ]);
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
    const counted = await redis.hget(
      roundKey(config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId),
      `i:${fixture.offerId}`,
    );
    redis.disconnect();
    expect(Number(counted)).toBe(claims);
  }, 120000);
});
