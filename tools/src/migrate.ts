import { configWith, loadConfigOrExit } from '@quan/config';
import { migrateDatabase } from './migrations';
import { ensureServices, say } from './services';
import { stopChildren } from './processes';
import { runTool } from './run-tool';

/** `npm run migrate`: applies pending migrations to DATABASE_URL (provisioning Postgres if none answers). */
runTool(async () => {
  const config = loadConfigOrExit();
  const { databaseUrl, redisUrl } = await ensureServices(config);
  const applied = await migrateDatabase(configWith(config, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl }));
  say(applied.length ? `applied ${applied.join(', ')}` : 'database schema is up to date');
  await stopChildren();
});
