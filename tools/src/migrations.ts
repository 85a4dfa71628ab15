import 'reflect-metadata';
import { AppConfig } from '@quan/config';
import { createDatabaseIfMissing, createDataSource, FieldCipher, resealData } from '@quan/data';

/**
 * Creates the database if needed, applies every pending migration and seals any personal or bank value
 * still in clear (those written before sealing existed); returns the names applied.
 */
export async function migrateDatabase(config: AppConfig): Promise<string[]> {
  await createDatabaseIfMissing(config.DATABASE_URL);
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    await resealData(dataSource, FieldCipher.fromConfig(config), 'clear');
    return applied.map((migration) => migration.name);
  } finally {
    await dataSource.destroy();
  }
}
