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
    connectTimeoutMS: 2000,
    applicationName: 'quan',
    extra: { idleTimeoutMillis: 30000 },
  };
}

export function createDataSource(config: AppConfig): DataSource {
  return new DataSource(dataSourceOptions(config));
}

/** The SQL that would bring the database schema in line with the entities; empty when none drifted. */
export async function pendingSchemaChanges(dataSource: DataSource): Promise<string[]> {
  const log = await dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((query) => query.query);
}
