import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig, configWith, loadConfigOrExit } from '@quan/config';
import { createDataSource, databaseName, deleteKeysOfPrefix, dropDatabase, withDatabaseName } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { freePort } from '@quan/testing';
import { migrateDatabase } from '../migrations';
import { startChild, stopChildren, withApiNodeOptions } from '../processes';
import { ensureServices, ROOT, say } from '../services';

export const compiled = (path: string) => ['-r', join(ROOT, 'tools/register-paths.cjs'), join(ROOT, 'dist', path)];

export async function startServer(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  readyUrl: string,
): Promise<void> {
  startChild(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  await waitUntil(`${name} answering`, async () => (await fetch(readyUrl)).status < 500, 30000);
}

/** A benchmark's own database and Redis key prefix, migrated, and the compiled api on them. */
export interface BenchEnvironment {
  config: AppConfig;
  dataSource: DataSource;
  /**
   * Starts the compiled api (test mode, as production needs a real-name provider; warn-level logs), with
   * `settings` over the bench's own; answers its base URL.
   */
  startApi(settings?: Record<string, string>): Promise<string>;
  dispose(): Promise<void>;
}

export async function benchEnvironment(purpose: string): Promise<BenchEnvironment> {
  const config = loadConfigOrExit();
  const { databaseUrl, redisUrl } = await ensureServices(config);
  const runId = `bench${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const bench = configWith(config, {
    DATABASE_URL: withDatabaseName(databaseUrl, `${databaseName(databaseUrl)}_${runId}`),
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: runId,
    JWT_SECRET: randomBytes(32).toString('hex'),
    PII_HASH_KEY: randomBytes(32).toString('hex'),
  });
  say(`preparing database ${databaseName(bench.DATABASE_URL)}: ${purpose}`);
  await migrateDatabase(bench);
  const dataSource = createDataSource(bench);
  await dataSource.initialize();
  return {
    config: bench,
    dataSource,
    async startApi(settings = {}) {
      const port = await freePort();
      // BENCH_PROFILE_DIR=dir: the api writes a CPU profile there when the bench stops it.
      const profile = process.env.BENCH_PROFILE_DIR
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`]
        : [];
      await startServer(
        'api',
        [...profile, ...compiled('apps/api/src/main.js')],
        withApiNodeOptions({
          DATABASE_URL: bench.DATABASE_URL,
          REDIS_URL: redisUrl,
          REDIS_KEY_PREFIX: runId,
          PORT: String(port),
          LOG_LEVEL: 'warn',
          NODE_ENV: 'test',
          JWT_SECRET: bench.JWT_SECRET,
          PII_HASH_KEY: bench.PII_HASH_KEY,
          AUTH_DEV_OTP: '',
          NODE_OPTIONS: process.env.NODE_OPTIONS,
          // A bench loads a process through a few tokens (one cashier, one finance user): the per-token rate, a
          // guard against one client hammering, would measure itself instead of the endpoint.
          GATE_TOKEN_RATE_PER_S: '100000',
          ...settings,
        }),
        `http://127.0.0.1:${port}/health/ready`,
      );
      return `http://127.0.0.1:${port}/api/v1`;
    },
    async dispose() {
      await stopChildren();
      if (dataSource.isInitialized) await dataSource.destroy();
      const redis = new Redis(redisUrl);
      await deleteKeysOfPrefix(redis, runId).catch(() => undefined);
      redis.disconnect();
      await dropDatabase(bench.DATABASE_URL).catch(() => undefined);
    },
  };
}
