import { spawn } from 'node:child_process';
import { join } from 'node:path';
import Redis from 'ioredis';
import { loadConfig } from '@quan/config';
import { databaseName, deleteKeysOfPrefix, dropDatabase, withDatabaseName } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { freePort, REPO_ROOT } from '@quan/testing';

/** Runs `npm start`'s entry (tools/bootstrap.cjs start) as a newcomer would, with the given environment. */
function npmStart(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'tools/bootstrap.cjs'), 'start'], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, exited, stdout: () => stdout, stderr: () => stderr };
}

describe('npm start', () => {
  const base = loadConfig(process.env);
  const suffix = Date.now().toString(36);
  const databaseUrl = withDatabaseName(base.DATABASE_URL, `${databaseName(base.DATABASE_URL)}_start_${suffix}`);
  const keyPrefix = `${base.REDIS_KEY_PREFIX}-start-${suffix}`.slice(0, 32);

  afterAll(async () => {
    await dropDatabase(databaseUrl);
    const redis = new Redis(base.REDIS_URL);
    await deleteKeysOfPrefix(redis, keyPrefix).finally(() => redis.disconnect());
  });

  it('exits non-zero with one line naming REDIS_URL when it is malformed', async () => {
    const start = npmStart({ REDIS_URL: 'garbage' });
    expect(await start.exited).toBe(1);
    expect(start.stdout()).toBe('');
    expect(start.stderr().trim().split('\n')).toEqual([expect.stringMatching(/^Invalid configuration: REDIS_URL /)]);
  });

  it('migrates, seeds, builds the web apps unless current, runs api and worker until Ctrl-C, then stops everything it started', async () => {
    const [port, workerPort] = [await freePort(), await freePort()];
    const start = npmStart({
      DATABASE_URL: databaseUrl,
      REDIS_KEY_PREFIX: keyPrefix,
      PORT: String(port),
      WORKER_PORT: String(workerPort),
      LOG_LEVEL: 'warn',
    });
    try {
      await waitUntil('npm start printing its banner', async () => start.stdout().includes('Quan is running.'), 120000);
      expect(start.stdout()).toContain(`http://localhost:${port}/docs`);
      expect(start.stdout()).toContain(`http://localhost:${port}/admin/queues`);
      expect(start.stdout()).toContain('deploy/observability/grafana/dashboards/quan.json');
      expect(start.stdout()).toMatch(/admin +city_admin/);
      expect(start.stdout()).toContain('password: quan-demo-2026');
      // npm test has just built the web apps, so their inputs are unchanged: no second build.
      expect(start.stdout()).toContain('web app resident is up to date (/h5/)');
      expect(start.stdout()).toMatch(new RegExp(`Resident H5 +http://localhost:${port}/h5/\n`));
      expect(start.stdout()).toMatch(new RegExp(`Cashier till +http://localhost:${port}/till/\n`));
      expect(start.stdout()).toMatch(new RegExp(`Bureau console +http://localhost:${port}/console/\n`));
      expect(start.stdout()).toMatch(/approver +city_admin/);
      for (const page of ['/h5/wallet', '/console/campaigns']) {
        const served = await fetch(`http://127.0.0.1:${port}${page}`);
        expect(served.status).toBe(200);
        expect(served.headers.get('content-type')).toMatch(/^text\/html/);
      }

      const ready = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await (await fetch(`http://127.0.0.1:${port}/api/v1/counties`)).json()).toHaveLength(12);
      expect((await fetch(`http://127.0.0.1:${workerPort}/health/ready`)).status).toBe(200);
    } finally {
      start.child.kill('SIGINT');
    }
    expect(await start.exited).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    await expect(fetch(`http://127.0.0.1:${workerPort}/health/live`)).rejects.toThrow();
  }, 180000);
});
