import 'reflect-metadata';
import { AppConfig } from '@quan/config';
import { createDataSource } from '@quan/data';
import { seedDemoCity, SeedResult } from '@quan/demo';

/** Seeds the demo city into an already migrated database. Refuses to touch a production database. */
export async function seedDatabase(config: AppConfig): Promise<SeedResult> {
  if (config.NODE_ENV === 'production') throw new Error('refusing to seed demo data with NODE_ENV=production');
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    return await seedDemoCity(dataSource);
  } finally {
    await dataSource.destroy();
  }
}

export function describeSeed(result: SeedResult): string {
  return [
    `demo city: ${result.counties} counties, ${result.categories} categories, ${result.merchants} merchants, ${result.staff} staff accounts, ${result.campaigns} campaigns`,
    `open round: ${result.openRound.name} (${result.openRound.opensAt.toISOString()} – ${result.openRound.closesAt.toISOString()})`,
  ].join('\n');
}

