import 'reflect-metadata';
import { AppConfig } from '@quan/config';
import { createDataSource } from '@quan/data';
import { SeedResult, seedDemoCity, SettledDaySeed, seedSettledDay } from '@quan/demo';

export interface DatabaseSeed extends SeedResult {
  settledDay: SettledDaySeed;
}

/** Seeds the demo city, ending with one settled day, into an already migrated database. Refuses to touch a production database. */
export async function seedDatabase(config: AppConfig): Promise<DatabaseSeed> {
  if (config.NODE_ENV === 'production') throw new Error('refusing to seed demo data with NODE_ENV=production');
  const dataSource = createDataSource(config);
  await dataSource.initialize();
  try {
    const city = await seedDemoCity(dataSource, config);
    return { ...city, settledDay: await seedSettledDay(dataSource, config) };
  } finally {
    await dataSource.destroy();
  }
}

export function describeSeed(result: DatabaseSeed): string {
  return [
    `demo city: ${result.counties} counties, ${result.categories} categories, ${result.merchants} merchants, ${result.staff} staff accounts, ${result.campaigns} campaigns`,
    `open round: ${result.openRound.name} (${result.openRound.opensAt.toISOString()} – ${result.openRound.closesAt.toISOString()})`,
    `lottery round (registration open): ${result.lotteryRound.name} (${result.lotteryRound.opensAt.toISOString()} – ${result.lotteryRound.closesAt.toISOString()}, drawn at ${result.lotteryRound.drawAt.toISOString()})`,
    `settled day: ${result.settledDay.businessDay}, ${result.settledDay.statements} open statements of ${result.settledDay.redemptions} redemptions for finance to review`,
  ].join('\n');
}
