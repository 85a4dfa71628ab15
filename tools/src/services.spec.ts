import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { Client } from 'pg';
import { configWith, loadConfig } from '@quan/config';
import { freePort } from '@quan/testing';
import { stopChildren } from './processes';
import { ensurePostgres, ensureServices } from './services';

describe('provisioning Postgres and Redis', () => {
  const dataDirs: string[] = [];
  const newDataDir = () => {
    dataDirs.push(mkdtempSync(join(tmpdir(), 'quan-services-')));
    return dataDirs[dataDirs.length - 1];
  };
  const dataDir = newDataDir();
  const nothingAnswers = async () =>
    configWith(loadConfig(process.env), {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/quan_local`,
      REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
    });

  afterAll(async () => {
    await stopChildren();
    for (const dir of dataDirs) {
      // As root the cluster may live outside the data directory, behind a link (see postgresDataDir).
      const cluster = join(dir, 'postgres');
      if (existsSync(cluster)) rmSync(realpathSync(cluster), { recursive: true, force: true });
      rmSync(dir, { recursive: true, force: true });
    }
  });

  /** The data directory of the Postgres and the Redis behind these URLs. */
  async function dataOf(databaseUrl: string, redisUrl: string): Promise<{ postgres: string; redis: string }> {
    const client = new Client({ connectionString: databaseUrl.replace(/quan_local$/, 'postgres') });
    await client.connect();
    const postgres = (await client.query('SHOW data_directory')).rows[0].data_directory as string;
    await client.end();
    const redis = new Redis(redisUrl);
    const [, dir] = (await redis.config('GET', 'dir')) as string[];
    redis.disconnect();
    return { postgres, redis: dir };
  }

  it('uses servers that answer at the configured URLs', async () => {
    const config = loadConfig(process.env);
    expect(await ensureServices(config, dataDir)).toEqual({
      databaseUrl: config.DATABASE_URL,
      redisUrl: config.REDIS_URL,
    });
  });

  it('starts project-local servers with data under the data directory when nothing answers', async () => {
    const config = await nothingAnswers();
    const { databaseUrl, redisUrl } = await ensureServices(config, dataDir);
    expect(databaseUrl).not.toBe(config.DATABASE_URL);
    expect(databaseUrl).toMatch(/\/quan_local$/);
    expect(redisUrl).not.toBe(config.REDIS_URL);

    const client = new Client({ connectionString: databaseUrl.replace(/quan_local$/, 'postgres') });
    await client.connect();
    const dataDirectory = (await client.query('SHOW data_directory')).rows[0].data_directory as string;
    await client.end();
    // The cluster is <data directory>/postgres, or where that link points when Postgres cannot reach it.
    expect(dataDirectory).toBe(realpathSync(join(dataDir, 'postgres')));

    const redis = new Redis(redisUrl);
    expect(await redis.config('GET', 'appendonly')).toEqual(['appendonly', 'yes']);
    expect(await redis.config('GET', 'dir')).toEqual(['dir', join(dataDir, 'redis')]);
    redis.disconnect();

    // Another tool of the same checkout uses these servers rather than starting a second pair on the same files.
    expect(await ensureServices(config, dataDir)).toEqual({ databaseUrl, redisUrl });
  }, 120000);

  it('gives two checkouts provisioning at the same moment a server each, though both try the same port first', async () => {
    const config = await nothingAnswers();
    const [first, second] = [newDataDir(), newDataDir()];
    const [a, b] = await Promise.all([ensureServices(config, first), ensureServices(config, second)]);
    expect(await dataOf(a.databaseUrl, a.redisUrl)).toEqual({
      postgres: realpathSync(join(first, 'postgres')),
      redis: join(first, 'redis'),
    });
    expect(await dataOf(b.databaseUrl, b.redisUrl)).toEqual({
      postgres: realpathSync(join(second, 'postgres')),
      redis: join(second, 'redis'),
    });
  }, 120000);

  it('never provisions with NODE_ENV=production: an unreachable database is an error naming the variable', async () => {
    const config = configWith(loadConfig(process.env), {
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/quan_prod`,
    });
    await expect(ensurePostgres(config, dataDir)).rejects.toThrow(
      /^DATABASE_URL \(127\.0\.0\.1:\d+\) does not answer; with NODE_ENV=production nothing is provisioned$/,
    );
  });
});
