import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { configWith, loadConfig } from '@quan/config';
import { personKey, roundKey } from '@quan/counters';
import { createDataSource, deleteKeysOfPrefix } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { createClaimFixture, freePort, postClaim, startCompiledService, StartedProcess } from '@quan/testing';
import { migrateDatabase } from './migrations';
import { stopChildren } from './processes';
import { ensurePostgres } from './services';

/**
 * The api against a Postgres of the test's own, killed with -9 while the api runs: a claim then is a
 * 503 and leaves nothing behind in Redis (the decision is given back), as nothing reached Postgres.
 */
describe('claims when Postgres goes down', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'quan-pgdown-'));
  const prefix = `pgdown${Date.now().toString(36)}`;
  let api: StartedProcess | undefined;

  afterAll(async () => {
    api?.child.kill('SIGKILL');
    await stopChildren();
    const redis = new Redis(loadConfig(process.env).REDIS_URL);
    await deleteKeysOfPrefix(redis, prefix).finally(() => redis.disconnect());
    const cluster = join(dataDir, 'postgres');
    if (existsSync(cluster)) rmSync(realpathSync(cluster), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('answers 503 and gives the Redis decision back', async () => {
    const base = configWith(loadConfig(process.env), {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/quan_pgdown`,
      REDIS_KEY_PREFIX: prefix,
    });
    const config = configWith(base, { DATABASE_URL: await ensurePostgres(base, dataDir) });
    await migrateDatabase(config);
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    const fixture = await createClaimFixture(dataSource, config, { stock: 10, residents: 2 });
    const dataDirectory = (await dataSource.query('SHOW data_directory'))[0].data_directory as string;
    await dataSource.destroy();

    const service = await startCompiledService('apps/api/src/main.js', 'PORT', {
      DATABASE_URL: config.DATABASE_URL,
      REDIS_KEY_PREFIX: prefix,
      LOG_LEVEL: 'warn',
    });
    api = service;
    const claim = (token: string) => postClaim(`${service.url}/api/v1`, fixture, token);
    expect((await claim(fixture.residents[0].token)).status).toBe(201);

    const postmaster = Number(readFileSync(join(dataDirectory, 'postmaster.pid'), 'utf8').split('\n')[0]);
    process.kill(postmaster, 'SIGKILL');
    await waitUntil(
      'Postgres gone',
      async () => {
        try {
          process.kill(postmaster, 0);
          return false;
        } catch {
          return true;
        }
      },
      10000,
    );

    const started = Date.now();
    const refused = await claim(fixture.residents[1].token);
    expect(refused.status).toBe(503);
    expect(refused.body.code).toBe('UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(5000);

    const redis = new Redis(config.REDIS_URL);
    try {
      expect(await redis.hget(roundKey(prefix, fixture.campaignId, fixture.roundId), `i:${fixture.offerId}`)).toBe('1');
      expect(
        Number((await redis.hget(personKey(prefix, fixture.campaignId, fixture.residents[1].identityId), 'c')) ?? 0),
      ).toBe(0);
    } finally {
      redis.disconnect();
    }
  }, 120000);
});
