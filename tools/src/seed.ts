import { configWith, loadConfigOrExit } from '@quan/config';
import { migrateDatabase } from './migrations';
import { stopChildren } from './processes';
import { runTool } from './run-tool';
import { describeSeed, seedDatabase } from './seeding';
import { ensureServices, say } from './services';

/** `npm run seed`: migrates, then seeds the demo city (idempotent). */
runTool(async () => {
  const config = loadConfigOrExit();
  const { databaseUrl, redisUrl } = await ensureServices(config);
  const target = configWith(config, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl });
  await migrateDatabase(target);
  say(describeSeed(await seedDatabase(target)));
  await stopChildren();
});
