import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '@quan/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming';

/** The one description of Quan's Postgres connection; schema changes come only from MIGRATIONS. */
export function dataSourceOptions(config: AppConfig): DataSourceOptions {
  return {
    type: 'postgres',
    url: config.DATABASE_URL,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    migrationsRun: false,
    uuidExtension: 'pgcrypto',
    poolSize: config.DATABASE_POOL_SIZE,
    connectTimeoutMS: CONNECT_TIMEOUT_MS,
    applicationName: 'quan',
    extra: { idleTimeoutMillis: 30000 },
  };
}

/** How long a request waits for a pool connection, and for a query (the api's Postgres deadlines). */
export const CONNECT_TIMEOUT_MS = 2000;
export const QUERY_TIMEOUT_MS = 5000;

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}

/** The SQL that would bring the database schema in line with the entities; empty when none drifted. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}
