import { configWith, loadConfigOrExit } from '@quan/config';
import { migrateDatabase } from './migrations';
import { waitUntil } from '@quan/platform';
import { startChild, stopChildren, withApiNodeOptions } from './processes';
import { runTool } from './run-tool';
import { describeSeed, seedDatabase } from './seeding';
import { ensureServices, ROOT, say } from './services';
import { buildWebApps, webApps } from './web-build';

const REGISTER = ['-r', `${ROOT}/tools/register-paths.cjs`];

/**
 * `npm start`: provisions Postgres and Redis if none answer, migrates, seeds the demo city, builds the
 * web apps whose sources changed, runs api (which serves them) and worker, prints where everything is.
 * Ctrl-C stops everything it started.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  const { databaseUrl, redisUrl } = await ensureServices(config);
  const target = configWith(config, { DATABASE_URL: databaseUrl, REDIS_URL: redisUrl });
  const applied = await migrateDatabase(target);
  say(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database schema is up to date');
  const seed = await seedDatabase(target);
  say(describeSeed(seed));
  await buildWebApps();

  const env = { ...process.env, DATABASE_URL: databaseUrl, REDIS_URL: redisUrl };
  let stopping = false;
  const stop = async (code: number) => {
    if (stopping) return;
    stopping = true;
    await stopChildren(config.SHUTDOWN_GRACE_MS + 2000);
    process.exit(code);
  };
  for (const name of ['api', 'worker']) {
    const child = startChild(process.execPath, [...REGISTER, `${ROOT}/dist/apps/${name}/src/main.js`], {
      env: name === 'api' ? withApiNodeOptions(env) : env,
    });
    child.once('exit', (code, signal) => {
      if (stopping) return;
      process.stderr.write(`${name} stopped unexpectedly (${signal ?? `exit code ${code}`}); stopping everything\n`);
      void stop(1);
    });
  }
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  const api = `http://localhost:${config.PORT}`;
  const ready = async (url: string) => (await fetch(url).catch(() => undefined))?.ok === true;
  await waitUntil('the api being ready', () => ready(`http://127.0.0.1:${config.PORT}/health/ready`), 60000);
  await waitUntil('the worker being ready', () => ready(`http://127.0.0.1:${config.WORKER_PORT}/health/ready`), 60000);
  const web = webApps()
    .map((app) => `    ${app.title.padEnd(15)}${api}${app.path}\n`)
    .join('');
  const logins = seed.logins.map((l) => `    ${l.username.padEnd(16)} ${l.role.padEnd(15)} ${l.note}`).join('\n');
  process.stdout.write(`
  Quan is running.
${web}    API            ${api}/api/v1
    OpenAPI docs   ${api}/docs
    health         ${api}/health/ready
    metrics        ${api}/metrics  (worker: http://127.0.0.1:${config.WORKER_PORT}/metrics)
    queue view     ${api}/admin/queues  (city admins; a browser opens it after POST /api/v1/admin/queue-view/session)
    dashboard      deploy/observability/grafana/dashboards/quan.json, with alerts.yml beside it
                   (docker compose -f deploy/compose.yaml up: Grafana at http://localhost:3300)
    runbooks       docs/runbooks/alerts.md
    Postgres       ${new URL(databaseUrl).host}${new URL(databaseUrl).pathname}
    Redis          ${new URL(redisUrl).host}
  Demo staff logins (password: ${seed.password})
${logins}
  Press Ctrl-C to stop.

`);
});
