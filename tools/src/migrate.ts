import { configWith, loadConfigOrExit } from '@quan/config';
import { migrateDatabase } from './migrations';
import { stopChildren } from './processes';
import { runTool } from './run-tool';
import { ensurePostgres, say } from './services';

/**
 * `npm run migrate`: applies pending migrations to DATABASE_URL. On a development machine a project-local
 * Postgres is started when none answers; with NODE_ENV=production an unreachable database is an error.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  const applied = await migrateDatabase(configWith(config, { DATABASE_URL: await ensurePostgres(config) }));
  say(applied.length ? `applied ${applied.join(', ')}` : 'database schema is up to date');
  await stopChildren();
});
