import { Controller, Get, Module } from '@nestjs/common';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { Public } from '@quan/auth';
import { waitUntil } from '@quan/platform';
import {
  createTestApp,
  createTestEnvironment,
  freePort,
  startCompiled,
  startCompiledService,
  TestEnvironment,
} from '@quan/testing';
import { AppModule } from '../src/app.module';

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}
const slowRequest = { arrived: deferred(), release: deferred() };

/** A handler that stays in flight until the test releases it. */
@Public()
@Controller('test-slow')
class SlowController {
  @Get()
  async slow(): Promise<{ finished: true }> {
    slowRequest.arrived.resolve();
    await slowRequest.release.promise;
    return { finished: true };
  }
}

@Module({ controllers: [SlowController] })
class SlowModule {}

describe('api process lifecycle', () => {
  let env: TestEnvironment;

  beforeAll(async () => {
    env = await createTestEnvironment();
  });

  afterAll(() => env?.dispose());

  it('refuses to start with a malformed REDIS_URL, printing one line that names it', async () => {
    const api = startCompiled('apps/api/src/main.js', { REDIS_URL: 'garbage', PORT: String(await freePort()) });
    const { code } = await api.exited;
    expect(code).toBe(1);
    expect(api.output().trim().split('\n')).toEqual([
      expect.stringMatching(/^Invalid configuration: REDIS_URL must be a redis:\/\//),
    ]);
  });

  it('on shutdown stops accepting, finishes the request in flight, then closes', async () => {
    const app: NestFastifyApplication = await createTestApp(
      { module: class SlowRoot {}, imports: [AppModule.register(env.config), SlowModule] },
      env.config,
    );
    const port = await freePort();
    await app.listen({ port, host: '127.0.0.1' });
    const inFlight = fetch(`http://127.0.0.1:${port}/api/v1/test-slow`);
    await slowRequest.arrived.promise;

    let closed = false;
    const closing = app.close().then(() => (closed = true));
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(closed).toBe(false);
    await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();

    slowRequest.release.resolve();
    const response = await inFlight;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ finished: true });
    await closing;
    expect(closed).toBe(true);
  });

  it('exits 0 on SIGTERM after draining, and logs JSON lines with no request left unanswered', async () => {
    const api = await startCompiledService('apps/api/src/main.js', 'PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'info',
    });
    const answered = await Promise.all(
      Array.from({ length: 20 }, () => fetch(`${api.url}/api/v1/counties`).then((r) => r.status)),
    );
    expect(answered.every((status) => status === 200)).toBe(true);

    api.child.kill('SIGTERM');
    const { code } = await api.exited;
    expect(code).toBe(0);
    const lines = api
      .output()
      .trim()
      .split('\n')
      .filter((line) => line.startsWith('{'));
    const logs = lines.map((line) => JSON.parse(line) as { msg?: string; requestId?: string; route?: string });
    expect(logs.some((l) => l.msg === 'shutting down: draining in-flight work')).toBe(true);
    expect(logs.some((l) => l.msg === 'shutdown complete')).toBe(true);
    const requestLines = logs.filter((l) => l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(21);
    expect(requestLines.every((l) => typeof l.requestId === 'string' && l.requestId.length > 0)).toBe(true);
  });

  it('on SIGTERM finishes the requests in flight in the process, answering each, before it exits 0', async () => {
    const api = await startCompiledService('apps/api/src/main.js', 'PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
    });
    const db = await new DataSource({ type: 'postgres', url: env.config.DATABASE_URL }).initialize();
    const blocker = db.createQueryRunner();
    try {
      // Every read of the counties waits on this lock, so the requests are held inside the api.
      await blocker.startTransaction();
      await blocker.query(`LOCK TABLE counties IN ACCESS EXCLUSIVE MODE`);
      const requests = Array.from({ length: 10 }, () =>
        fetch(`${api.url}/api/v1/counties`).then(async (r) => ({
          status: r.status,
          list: Array.isArray(await r.json()),
        })),
      );
      await waitUntil('the requests waiting in Postgres', async () => {
        const [{ n }]: { n: number }[] = await db.query(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        );
        return n === 10;
      });

      api.child.kill('SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(api.child.exitCode).toBeNull();
      await blocker.commitTransaction();

      const answers = await Promise.all(requests);
      expect(answers).toEqual(Array.from({ length: 10 }, () => ({ status: 200, list: true })));
      expect((await api.exited).code).toBe(0);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
      await db.destroy();
      if (api.child.exitCode === null) api.child.kill('SIGKILL');
    }
  });
});
