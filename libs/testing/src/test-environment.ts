import { randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { AppConfig, configWith, loadConfig } from '@quan/config';
import { createDatabaseIfMissing, databaseName, deleteKeysOfPrefix, dropDatabase, withDatabaseName } from '@quan/data';

export interface TestEnvironment {
  /** Configuration pointing at this test file's own database and Redis key prefix. */
  config: AppConfig;
  dispose(): Promise<void>;
}

/**
 * A database of its own (a copy of the run's migrated template, made by `npm test`) and a Redis key
 * prefix of its own, so test files run in parallel without seeing each other's data.
 */
export async function createTestEnvironment(overrides: Partial<AppConfig> = {}): Promise<TestEnvironment> {
  const base = loadConfig(process.env);
  const suffix = randomBytes(4).toString('hex');
  const template = databaseName(base.DATABASE_URL);
  const url = withDatabaseName(base.DATABASE_URL, `${template}_${suffix}`);
  await createDatabaseIfMissing(url, template);
  const config = configWith(base, {
    DATABASE_URL: url,
    REDIS_KEY_PREFIX: `${base.REDIS_KEY_PREFIX}-${suffix}`,
    ...overrides,
  });
  return {
    config,
    async dispose() {
      await dropDatabase(url);
      const redis = new Redis(base.REDIS_URL, { maxRetriesPerRequest: 1 });
      await deleteKeysOfPrefix(redis, config.REDIS_KEY_PREFIX).finally(() => redis.disconnect());
    },
  };
}
