import { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { configWith } from '@quan/config';
import {
  AuditLog,
  Campaign,
  CampaignStatus,
  createDataSource,
  queuePrefix,
  QueueName,
  SettlementJob,
  SystemJob,
} from '@quan/data';
import { PROVINCIAL_CAMPAIGN_CODE, seedDemoCity } from '@quan/demo';
import { previousBusinessDay } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import { SettlementRun } from '@quan/settlement';
import {
  createSettlementFixture,
  createTestEnvironment,
  freePort,
  reverseRedemptions,
  startCompiledService,
  TestEnvironment,
} from '@quan/testing';
import { WorkerModule } from '../src/worker.module';

describe('worker', () => {
  let env: TestEnvironment;
  let redis: Redis;

  beforeAll(async () => {
    env = await createTestEnvironment({ WORKER_HEARTBEAT_MS: 1000, CAMPAIGN_CLOCK_MS: 1000, AUDIT_ANCHOR_MS: 1000 });
    redis = new Redis(env.config.REDIS_URL);
  });

  afterAll(async () => {
    redis?.disconnect();
    await env?.dispose();
  });

  it('runs the heartbeat job scheduler and serves health and job metrics on its own port', async () => {
    const config = configWith(env.config, { WORKER_PORT: await freePort() });
    const app: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.register(config), {
      logger: false,
    });
    try {
      const heartbeatKey = `${config.REDIS_KEY_PREFIX}:worker:heartbeat`;
      await waitUntil('a heartbeat job completing', async () => (await redis.exists(heartbeatKey)) === 1, 15000);
      expect(JSON.parse((await redis.get(heartbeatKey))!)).toMatchObject({ pid: process.pid });

      const base = `http://127.0.0.1:${config.WORKER_PORT}`;
      expect((await fetch(`${base}/health/live`)).status).toBe(200);
      const ready = await fetch(`${base}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ready' });
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(
        /worker_jobs_total\{queue="system",job="heartbeat",outcome="completed",service="worker"\} [1-9]/,
      );
      expect(metrics).toContain('process_cpu_seconds_total');
      expect((await fetch(`${base}/anything-else`)).status).toBe(404);

      // Queue keys live under one hash tag, so each queue's keys share a Redis Cluster slot.
      const queueKeys = await redis.keys(`${queuePrefix(config.REDIS_KEY_PREFIX)}:${QueueName.System}:*`);
      expect(queueKeys.length).toBeGreaterThan(0);
      expect(queuePrefix(config.REDIS_KEY_PREFIX)).toMatch(/^\{.+\}$/);
    } finally {
      await app.close();
    }
    await expect(fetch(`http://127.0.0.1:${config.WORKER_PORT}/health/live`)).rejects.toThrow();
  });

  it('runs the campaign clock: a published campaign whose window has begun is running; the audit anchor then writes the chain head into the log', async () => {
    const config = configWith(env.config, { WORKER_PORT: await freePort() });
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    await seedDemoCity(dataSource, config);
    const app: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.register(config), {
      logger: false,
    });
    try {
      // The demo campaign QLG-07 is published and its window began at the start of today.
      const status = async () =>
        (await dataSource.getRepository(Campaign).findOneByOrFail({ code: PROVINCIAL_CAMPAIGN_CODE })).status;
      await waitUntil(
        'the campaign clock starting QLG-07',
        async () => (await status()) === CampaignStatus.Running,
        15000,
      );
      const entry = await dataSource.getRepository(AuditLog).findOneByOrFail({ action: 'campaign.start' });
      expect(entry).toMatchObject({
        actorId: null,
        actorRole: 'system',
        before: { status: 'published' },
        after: { status: 'running' },
      });
      // The demo has two published campaigns (QLG-07 and its lottery campaign): the anchor names the later start.
      const starts = () =>
        dataSource.getRepository(AuditLog).find({ where: { action: 'campaign.start' }, order: { id: 'DESC' } });
      await waitUntil('both demo campaigns started', async () => (await starts()).length === 2, 15000);
      const [last] = await starts();
      const anchor = () => dataSource.getRepository(AuditLog).findOneBy({ action: 'audit.anchor' });
      await waitUntil('the audit anchor written', async () => (await anchor()) !== null, 15000);
      expect((await anchor())?.after).toEqual({ anchoredId: last.id, anchoredHash: last.hash });
    } finally {
      await app.close();
      await dataSource.destroy();
    }
  });

  it('relays the outbox to the settlement queue, whose consumer turns a reversal after settlement into an adjustment; the daily run is scheduled in Asia/Shanghai and settles the day before', async () => {
    const config = configWith(env.config, {
      WORKER_PORT: await freePort(),
      OUTBOX_RELAY_MS: 200,
      SETTLEMENT_CRON: '5 1 * * *',
    });
    const dataSource = createDataSource(config);
    await dataSource.initialize();
    const { merchantIds } = await createSettlementFixture(dataSource, {
      merchants: 1,
      redemptionsPerMerchant: 3,
      businessDay: '2026-11-02',
    });
    await new SettlementRun(dataSource, config).settleDay('2026-11-02');
    const app: INestApplicationContext = await NestFactory.createApplicationContext(WorkerModule.register(config), {
      logger: false,
    });
    const settlement = new Queue(QueueName.Settlement, {
      connection: { url: config.REDIS_URL },
      prefix: queuePrefix(config.REDIS_KEY_PREFIX),
    });
    try {
      await waitUntil(
        'the outbox relayed',
        async () =>
          Number((await dataSource.query(`SELECT count(*) FROM outbox WHERE relayed_at IS NULL`))[0].count) === 0,
        15000,
      );
      const [{ id }] = await dataSource.query(`SELECT id FROM redemptions WHERE merchant_id = $1 LIMIT 1`, [
        merchantIds[0],
      ]);
      await reverseRedemptions(dataSource, [id], '2026-11-03');
      await waitUntil(
        'the reversal adjusted',
        async () =>
          (
            await dataSource.query(`SELECT 1 FROM settlement_lines WHERE redemption_id = $1 AND kind = 'adjustment'`, [
              id,
            ])
          ).length === 1,
        15000,
      );
      const [statement] = await dataSource.query(
        `SELECT to_char(business_day, 'YYYY-MM-DD') AS day, adjustment_count FROM settlement_statements s JOIN settlement_lines l ON l.statement_id = s.id WHERE l.redemption_id = $1 AND l.kind = 'adjustment'`,
        [id],
      );
      expect(statement).toEqual({ day: '2026-11-03', adjustment_count: 1 });

      const schedulers = await settlement.getJobSchedulers();
      expect(schedulers).toEqual([
        expect.objectContaining({ key: SettlementJob.SettleDay, pattern: '5 1 * * *', tz: 'Asia/Shanghai' }),
      ]);

      // What the scheduler enqueues (no day named) settles the business day before the one it was due in.
      const yesterday = previousBusinessDay(new Date());
      const {
        merchantIds: [late],
      } = await createSettlementFixture(dataSource, {
        merchants: 1,
        redemptionsPerMerchant: 2,
        businessDay: yesterday,
        outbox: false,
      });
      await settlement.add(SettlementJob.SettleDay, {});
      await waitUntil(
        'yesterday settled',
        async () =>
          (
            await dataSource.query(
              `SELECT 1 FROM settlement_statements WHERE merchant_id = $1 AND business_day = $2 AND redemption_count = 2`,
              [late, yesterday],
            )
          ).length === 1,
        15000,
      );
    } finally {
      await settlement.close();
      await app.close();
      await dataSource.destroy();
    }
  });

  // The health listener answers while the schedulers and queue workers are still starting, so a signal sent
  // as soon as it answers often lands in start-up; a few rounds make a signal lost there show up.
  it('exits 0 after a graceful shutdown on SIGTERM, also when the signal lands during start-up', async () => {
    for (let round = 0; round < 6; round++) {
      // Polled closely, so the signal goes out the moment the health listener answers.
      const worker = await startCompiledService(
        'apps/worker/src/main.js',
        'WORKER_PORT',
        {
          DATABASE_URL: env.config.DATABASE_URL,
          REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
          LOG_LEVEL: 'info',
        },
        5,
      );
      try {
        worker.child.kill('SIGTERM');
        // Past the 15 s grace period a worker that saw the signal has exited either way.
        const exited = await Promise.race([
          worker.exited,
          new Promise<'still running'>((resolve) => setTimeout(() => resolve('still running'), 20000).unref()),
        ]);
        expect({ round, exited }).toMatchObject({ round, exited: { code: 0 } });
        expect(worker.output()).toContain('"msg":"shutdown complete"');
      } finally {
        // A failure above must not leave the worker running on this test's queues.
        if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill('SIGKILL');
      }
    }
  });

  // Every replica registers the schedulers at start-up (upsertJobScheduler); BullMQ keeps one per job and
  // enqueues each period's run once, under an id of its own, so two workers together run each period once.
  it('runs each scheduled job once per period however many worker processes run', async () => {
    const completed = async (url: string) =>
      Number(
        /worker_jobs_total\{queue="system",job="heartbeat",outcome="completed",service="worker"\} (\d+)/.exec(
          await (await fetch(`${url}/metrics`)).text(),
        )?.[1] ?? 0,
      );
    const env2 = await createTestEnvironment();
    const queue = new Queue(QueueName.System, {
      connection: { url: env2.config.REDIS_URL },
      prefix: queuePrefix(env2.config.REDIS_KEY_PREFIX),
    });
    const start = () =>
      startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
        DATABASE_URL: env2.config.DATABASE_URL,
        REDIS_KEY_PREFIX: env2.config.REDIS_KEY_PREFIX,
        WORKER_HEARTBEAT_MS: '1000',
      });
    const workers = await Promise.all([start(), start()]);
    try {
      await new Promise((resolve) => setTimeout(resolve, 8000));
      // Paused, the workers take no new job; once none is active the counts stand still.
      await queue.pause();
      await waitUntil('no job active', async () => (await queue.getActiveCount()) === 0);
      const runs = (await Promise.all(workers.map((w) => completed(w.url)))).reduce((a, b) => a + b);

      // Each run is a job whose id ends in the period it belongs to: every period once, a second apart.
      const periods = (await queue.getJobs(['completed']))
        .filter((job) => job.name === SystemJob.Heartbeat)
        .map((job) => Number(job.id!.split(':').pop()))
        .sort((a, b) => a - b);
      expect(periods.length).toBeGreaterThanOrEqual(3);
      expect(new Set(periods).size).toBe(periods.length);
      expect(periods.slice(1).every((at, index) => at - periods[index] >= 1000)).toBe(true);
      // And the two processes together completed exactly those jobs, none twice.
      expect(runs).toBe(periods.length);
    } finally {
      for (const worker of workers) worker.child.kill('SIGTERM');
      await Promise.all(workers.map((w) => w.exited));
      await queue.close();
      await env2.dispose();
    }
  });
});
