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
  const dataDir = mkdtempSync(join(tmpdir(), 'quan-services-'));

  afterAll(async () => {
    await stopChildren();
    // As root the cluster may live outside the data directory, behind a link (see postgresDataDir).
    const cluster = join(dataDir, 'postgres');
    if (existsSync(cluster)) rmSync(realpathSync(cluster), { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('uses servers that answer at the configured URLs', async () => {
    const config = loadConfig(process.env);
    expect(await ensureServices(config, dataDir)).toEqual({ databaseUrl: config.DATABASE_URL, redisUrl: config.REDIS_URL });
  });

  it('starts project-local servers with data under the data directory when nothing answers', async () => {
    const [pgPort, redisPort] = [await freePort(), await freePort()];
    const config = configWith(loadConfig(process.env), {
      DATABASE_URL: `postgres://postgres@127.0.0.1:${pgPort}/quan_local`,
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
    });
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
  }, 120000);

  it('never provisions with NODE_ENV=production: an unreachable database is an error naming the variable', async () => {
    const config = configWith(loadConfig(process.env), {
      NODE_ENV: 'production',
      DATABASE_URL: `postgres://postgres@127.0.0.1:${await freePort()}/quan_prod`,
    });
    await expect(ensurePostgres(config, dataDir)).rejects.toThrow(/^DATABASE_URL \(127\.0\.0\.1:\d+\) does not answer; with NODE_ENV=production nothing is provisioned$/);
  });
});
