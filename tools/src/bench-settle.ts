import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import Redis from 'ioredis';
import { configWith, loadConfigOrExit } from '@quan/config';
import {
  createDataSource,
  deleteKeysOfPrefix,
  QueueName,
  queuePrefix,
  SettlementJob,
  withScratchDatabase,
} from '@quan/data';
import { waitUntil } from '@quan/platform';
import { createSettlementFixture, freePort } from '@quan/testing';
import { migrateDatabase } from './migrations';
import { startChild, stopChildren } from './processes';
import { runTool } from './run-tool';
import { ensureServices, ROOT, say } from './services';

const MERCHANTS = 2_000;
const PER_MERCHANT = 500;
const DAY = '2026-11-26';

/**
 * `npm run bench:settle`: 1,000,000 redemptions of one business day across 2,000 merchants (1 in 50
 * reversed the same day), inserted set-based into a scratch database and marked as folded into the reports'
 * and risk's aggregates; then the compiled worker settles the day from a `settle-day` job, timed from the
 * job's start to its end. Prints the outcome and a last line of
 * JSON {redemptions, lines, seconds, linesPerSec}.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  const { redisUrl } = await ensureServices(config);
  const prefix = `bench${randomBytes(3).toString('hex')}`;
  await withScratchDatabase(
    configWith(config, { REDIS_URL: redisUrl, REDIS_KEY_PREFIX: prefix }),
    'bench_settle',
    async (bench) => {
      await migrateDatabase(bench);
      const dataSource = createDataSource(bench);
      await dataSource.initialize();
      const queue = new Queue(QueueName.Settlement, { connection: { url: redisUrl }, prefix: queuePrefix(prefix) });
      try {
        say(
          `seeding ${(MERCHANTS * PER_MERCHANT).toLocaleString()} redemptions across ${MERCHANTS.toLocaleString()} merchants on ${DAY}`,
        );
        const seedStart = performance.now();
        await createSettlementFixture(dataSource, {
          merchants: MERCHANTS,
          redemptionsPerMerchant: PER_MERCHANT,
          businessDay: DAY,
          reverseEvery: 50,
          outbox: false,
        });
        await dataSource.query('ANALYZE');
        // In production a day's redemptions are folded into the reports' and risk's aggregates as they happen,
        // so settlement at T+1 runs alone; these, seeded without events, are marked as folded so that the
        // worker's first catch-up does not run beside the settlement being timed.
        for (const table of ['report_watermarks', 'risk_watermarks'])
          await dataSource.query(`INSERT INTO ${table} (name, at) VALUES ('redemptions', now())`);
        say(
          `seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; the worker settles ${DAY} in chunks of ${bench.SETTLEMENT_MERCHANTS_PER_CHUNK} merchants`,
        );

        const port = await freePort();
        startChild(
          process.execPath,
          ['-r', join(ROOT, 'tools/register-paths.cjs'), join(ROOT, 'dist/apps/worker/src/main.js')],
          {
            env: {
              ...process.env,
              DATABASE_URL: bench.DATABASE_URL,
              REDIS_URL: redisUrl,
              REDIS_KEY_PREFIX: prefix,
              WORKER_PORT: String(port),
              LOG_LEVEL: 'warn',
            },
            stdio: ['ignore', 'ignore', 'inherit'],
          },
        );
        await waitUntil(
          'the worker answering',
          async () => (await fetch(`http://127.0.0.1:${port}/health/ready`)).ok,
          30000,
        );
        const job = await queue.add(SettlementJob.SettleDay, { businessDay: DAY });
        await waitUntil(
          'the settlement run finishing',
          async () => ['completed', 'failed'].includes(await queue.getJobState(job.id!)),
          600000,
          200,
        );
        const done = await queue.getJob(job.id!);
        if (!done?.finishedOn || !done.processedOn || done.failedReason)
          throw new Error(`the settlement job failed: ${done?.failedReason}`);
        const seconds = (done.finishedOn - done.processedOn) / 1000;

        const [check] = await dataSource.query(
          `SELECT (SELECT count(*)::int FROM redemptions) AS redemptions,
                (SELECT count(*)::int FROM redemptions WHERE reversed_at IS NULL) AS active,
                (SELECT count(*)::int FROM settlement_lines) AS lines,
                (SELECT count(*)::int FROM settlement_statements) AS statements,
                (SELECT sum(subsidy_fen)::text FROM redemptions WHERE reversed_at IS NULL) = (SELECT sum(total_fen)::text FROM settlement_statements) AS balanced`,
        );
        say(
          `${check.lines.toLocaleString()} lines in ${check.statements.toLocaleString()} statements; one line per redemption not reversed: ${check.lines === check.active}; totals = subsidies: ${check.balanced}`,
        );
        process.stdout.write(
          `${JSON.stringify({ redemptions: check.redemptions, lines: check.lines, seconds: Number(seconds.toFixed(2)), linesPerSec: Math.round(check.lines / seconds) })}\n`,
        );
      } finally {
        await stopChildren();
        await queue.close();
        await dataSource.destroy();
        const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
        await deleteKeysOfPrefix(redis, prefix).finally(() => redis.disconnect());
      }
    },
  );
});
