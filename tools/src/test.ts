import { randomBytes } from 'node:crypto';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Redis from 'ioredis';
import { configWith, loadConfigOrExit } from '@quan/config';
import { databaseName, deleteKeysOfPrefix, onServer, withDatabaseName } from '@quan/data';
import { CHROMIUM_PATH, SHARED_CHROMIUM_VARIABLE, startSharedChromium } from '@quan/testing';
import { migrateDatabase } from './migrations';
import { runToEnd, stopChildren } from './processes';
import { runTool } from './run-tool';
import { ensureChromium, ensurePromtool, ensureServices, ROOT, say } from './services';
import { buildWebApps } from './web-build';

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', name);

const OPEN_GATE = {
  GATE_MIN_CONCURRENCY: '100000',
  GATE_INITIAL_CONCURRENCY: '100000',
  GATE_MAX_CONCURRENCY: '100000',
  GATE_TOKEN_RATE_PER_S: '100000',
  GATE_POOL_QUEUE_FACTOR: '0',
};

/**
 * `npm test`: provisions Postgres and Redis if none answer and Chromium if missing, builds the web apps
 * whose sources changed (the browser specs load them from the api), then lint, the type-checks and the jest
 * suite (unit, integration and browser) against a fresh template database and Redis key prefix of this run only; the
 * server's type-check has already run as the build. Each test file clones the template, so files run in parallel safely.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  const { databaseUrl, redisUrl } = await ensureServices(config);
  ensureChromium(CHROMIUM_PATH);
  await buildWebApps();
  const promtool = ensurePromtool();
  const runId = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const template = withDatabaseName(databaseUrl, `quan_test_${runId}`);
  const keyPrefix = `t${runId}`;
  say(`test run ${runId}: template database ${databaseName(template)}, Redis key prefix ${keyPrefix}`);
  await migrateDatabase(configWith(config, { DATABASE_URL: template }));

  const env = {
    ...process.env,
    NODE_ENV: 'test',
    DATABASE_URL: template,
    REDIS_URL: redisUrl,
    REDIS_KEY_PREFIX: keyPrefix,
    LOG_LEVEL: 'silent',
    NX_DAEMON: 'false',
    PROMTOOL: promtool,
    // Specs race requests and loop on one token on a shared machine: the admission gate stays open for them, and
    // its own spec (apps/api/test/admission-gate.spec.ts) sets the limits it proves.
    ...OPEN_GATE,
  };
  const results: { step: string; ok: boolean }[] = [];
  say('lint (eslint with Nx module boundaries)');
  // The boundary rule reads Nx's cached project graph and silently skips itself without one.
  results.push({
    step: 'nx project graph',
    ok: (await runToEnd(bin('nx'), ['show', 'projects'], { cwd: ROOT, env, stdio: 'ignore' })) === 0,
  });
  results.push({
    step: 'lint',
    ok:
      (await runToEnd(bin('eslint'), ['--max-warnings', '0', 'apps', 'libs', 'tools', 'load-tests'], {
        cwd: ROOT,
        env,
      })) === 0,
  });
  results.push({
    step: 'formatting (prettier --check)',
    ok:
      (await runToEnd(bin('prettier'), ['--check', '--log-level', 'warn', '**/*.{ts,tsx,js,cjs,mjs}'], {
        cwd: ROOT,
        env,
      })) === 0,
  });
  say('type-check of the k6 scenarios, the web code and its build configuration');
  for (const project of ['load-tests/tsconfig.json', 'tsconfig.web.json', 'tsconfig.vite.json']) {
    results.push({
      step: `type-check ${project}`,
      ok: (await runToEnd(bin('tsc'), ['-p', project], { cwd: ROOT, env })) === 0,
    });
  }
  say('unit, integration and browser tests (jest)');
  // One Chromium for the whole run: the browser spec files of every jest worker connect to it.
  const chromium = await startSharedChromium();
  const report = join(ROOT, 'dist', `jest-${runId}.json`);
  const jestArgs = ['--ci', '--json', `--outputFile=${report}`, ...process.argv.slice(3)];
  const jestEnv = { ...env, [SHARED_CHROMIUM_VARIABLE]: chromium.wsEndpoint() };
  results.push({
    step: 'jest',
    ok: (await runToEnd(bin('jest'), jestArgs, { cwd: ROOT, env: jestEnv }).finally(() => chromium.close())) === 0,
  });

  await onServer(databaseUrl, async (client) => {
    const leftovers = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname LIKE $1', [
      `quan_test_${runId}%`,
    ]);
    for (const { datname } of leftovers.rows) await client.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
  });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  await deleteKeysOfPrefix(redis, keyPrefix).finally(() => redis.disconnect());
  await stopChildren();

  let passed = 0;
  let failed = 0;
  try {
    const summary = JSON.parse(readFileSync(report, 'utf8')) as { numPassedTests: number; numFailedTests: number };
    ({ numPassedTests: passed, numFailedTests: failed } = summary);
    rmSync(report);
  } catch {
    failed += 1;
  }
  for (const { step, ok } of results) say(`${step}: ${ok ? 'ok' : 'FAILED'}`);
  process.stdout.write(`${passed} passed, ${failed} failed\n`);
  process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
});
