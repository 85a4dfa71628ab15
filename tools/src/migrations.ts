import 'reflect-metadata';
import { AppConfig } from '@quan/config';
import { createDatabaseIfMissing, createDataSource } from '@quan/data';

/** Creates the database if needed and applies every pending migration; returns the names applied. */
export async function migrateDatabase(config: AppConfig): Promise<string[]> {
  await createDatabaseIfMissing(config.DATABASE_URL);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
