import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '@quan/config';
import { ENTITIES } from './entities';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming';

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** The one description of Quan's Postgres connection; schema changes come only from MIGRATIONS. */
export function dataSourceOptions(config: AppConfig): PostgresOptions {
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

/** How long a request waits for a pool connection (the api's and worker's Postgres deadlines). */
export const CONNECT_TIMEOUT_MS = 2000;
/** How long Postgres lets a statement run before it cancels it (rolled back: a known outcome). */
export const STATEMENT_TIMEOUT_MS = 5000;
/**
 * How long the client waits for a statement's answer: a second past the statement timeout, so a slow
 * statement comes back as Postgres's cancellation rather than the client giving up without knowing whether
 * it committed. It still fails when the network swallows the answer.
 */
export const QUERY_TIMEOUT_MS = STATEMENT_TIMEOUT_MS + 1000;

/** Both deadlines as node-postgres options, for the pools of the api and the worker. */
export const REQUEST_TIMEOUTS = { query_timeout: QUERY_TIMEOUT_MS, statement_timeout: STATEMENT_TIMEOUT_MS };

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}

/** The SQL that would bring the database schema in line with the entities; empty when none drifted. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}
