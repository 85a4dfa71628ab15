import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { createDataSource, QueueName, queuePrefix, SettlementJob } from '@quan/data';
import { waitUntil } from '@quan/platform';
import {
  createSettlementFixture,
  createTestEnvironment,
  startCompiledService,
  StartedProcess,
  TestEnvironment,
} from '@quan/testing';

const DAY = '2026-09-30';
const MERCHANTS = 200;
const PER_MERCHANT = 500;

describe('settlement survives kill -9 of the worker in the middle of a run', () => {
  let env: TestEnvironment;
  let db: DataSource;
  let queue: Queue;
  const workers: StartedProcess[] = [];

  const startWorker = async () => {
    const worker = await startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      SETTLEMENT_MERCHANTS_PER_CHUNK: '4',
      LOG_LEVEL: 'info',
    });
    workers.push(worker);
    return worker;
  };
  const count = async (sql: string) => Number((await db.query(sql, [DAY]))[0].n);

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
    queue = new Queue(QueueName.Settlement, {
      connection: { url: env.config.REDIS_URL },
      prefix: queuePrefix(env.config.REDIS_KEY_PREFIX),
    });
  });

  afterAll(async () => {
    // Workers still running are stopped and waited for, so none writes queue keys after the prefix is cleared.
    await Promise.all(
      workers
        .filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null)
        .map((worker) => {
          worker.child.kill('SIGKILL');
          return worker.exited;
        }),
    );
    await queue?.close();
    await db?.destroy();
    await env?.dispose();
  });

  it('the restarted worker finishes the run: exactly one line per redemption, totals = Σ subsidies', async () => {
    await createSettlementFixture(db, {
      merchants: MERCHANTS,
      redemptionsPerMerchant: PER_MERCHANT,
      businessDay: DAY,
      reverseEvery: 50,
      outbox: false,
    });
    const first = await startWorker();
    await queue.add(SettlementJob.SettleDay, { businessDay: DAY }, { jobId: `settle-${DAY}` });

    // Kill it once some merchants' statements are committed and others are not.
    const statements = `SELECT count(*) AS n FROM settlement_statements WHERE business_day = $1`;
    await waitUntil('part of the day settled', async () => (await count(statements)) > 0, 60000, 5);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const settledBeforeKill = await count(statements);
    expect(settledBeforeKill).toBeLessThan(MERCHANTS);
    expect(await count(`SELECT count(*) AS n FROM settled_days WHERE business_day = $1`)).toBe(0);

    // The job was active when the process died: BullMQ hands it to the next worker once its lock lapses.
    await startWorker();
    await waitUntil(
      'the interrupted run finishing',
      async () => (await queue.getJobState(`settle-${DAY}`)) === 'completed',
      120000,
      500,
    );

    const [result] = await db.query(
      `SELECT (SELECT count(*)::int FROM redemptions WHERE business_day = $1 AND reversed_at IS NULL) AS redemptions,
              (SELECT coalesce(sum(subsidy_fen), 0)::text FROM redemptions WHERE business_day = $1 AND reversed_at IS NULL) AS subsidy,
              (SELECT count(*)::int FROM settlement_lines WHERE redemption_day = $1) AS lines,
              (SELECT count(DISTINCT redemption_id)::int FROM settlement_lines WHERE redemption_day = $1) AS "distinctRedemptions",
              (SELECT count(*)::int FROM redemptions r WHERE r.business_day = $1 AND r.reversed_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id)) AS unsettled,
              (SELECT coalesce(sum(total_fen), 0)::text FROM settlement_statements WHERE business_day = $1) AS "statementTotals",
              (SELECT count(*)::int FROM settlement_statements WHERE business_day = $1) AS statements`,
      [DAY],
    );
    expect(result).toEqual({
      redemptions: MERCHANTS * (PER_MERCHANT - PER_MERCHANT / 50),
      subsidy: result.subsidy,
      lines: MERCHANTS * (PER_MERCHANT - PER_MERCHANT / 50),
      distinctRedemptions: MERCHANTS * (PER_MERCHANT - PER_MERCHANT / 50),
      unsettled: 0,
      statementTotals: result.subsidy,
      statements: MERCHANTS,
    });
    expect(await count(`SELECT count(*) AS n FROM settled_days WHERE business_day = $1`)).toBe(1);
  }, 240000);
});
