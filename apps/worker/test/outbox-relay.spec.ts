import { Queue } from 'bullmq';
import { DataSource } from 'typeorm';
import { configWith } from '@quan/config';
import { createDataSource, outboxJobId, QueueName, queuePrefix, SettlementJob } from '@quan/data';
import { createSettlementFixture, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { OutboxRelay } from '../src/outbox-relay';

describe('outbox relay', () => {
  let env: TestEnvironment;
  let db: DataSource;
  const queues: Queue[] = [];

  /** A relay with a BullMQ connection of its own, as each worker replica has. */
  const relay = () => {
    const config = configWith(env.config, { OUTBOX_RELAY_BATCH: 7 });
    const queue = new Queue(QueueName.Settlement, {
      connection: { url: config.REDIS_URL },
      prefix: queuePrefix(config.REDIS_KEY_PREFIX),
    });
    queues.push(queue);
    return { relay: new OutboxRelay(config, db, queue as never), queue };
  };
  const pending = async () => Number((await db.query(`SELECT count(*) FROM outbox WHERE relayed_at IS NULL`))[0].count);

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
  });

  afterAll(async () => {
    await Promise.all(queues.map((queue) => queue.close()));
    await db?.destroy();
    await env?.dispose();
  });

  beforeEach(async () => {
    await queues[0]?.obliterate({ force: true });
    await db.query(`TRUNCATE outbox`);
  });

  it('relays every row once, in batches, as a job named by its topic with the id derived from the row', async () => {
    await createSettlementFixture(db, {
      merchants: 3,
      redemptionsPerMerchant: 10,
      businessDay: '2026-11-20',
      reverseEvery: 4,
    });
    const rows: { id: string; topic: string; payload: { redemptionId: string } }[] = await db.query(
      `SELECT id, topic, payload FROM outbox ORDER BY id`,
    );
    expect(rows.length).toBe(30 + 6);

    const { relay: first, queue } = relay();
    expect(await first.relay()).toBe(rows.length);
    expect(await first.relay()).toBe(0);
    expect(await pending()).toBe(0);

    const jobs = await queue.getJobs(['waiting', 'prioritized', 'delayed']);
    expect(jobs.map((job) => job.id).sort()).toEqual(rows.map((row) => outboxJobId(row.id)).sort());
    for (const row of rows) {
      const job = jobs.find((candidate) => candidate.id === outboxJobId(row.id))!;
      expect(job.name).toBe(row.topic);
      expect(job.data).toEqual(row.payload);
    }
    expect(jobs.filter((job) => job.name === SettlementJob.Reversed)).toHaveLength(6);
  });

  it('two relays racing take different rows: each row becomes exactly one job', async () => {
    await createSettlementFixture(db, { merchants: 10, redemptionsPerMerchant: 20, businessDay: '2026-11-21' });
    const [a, b] = [relay(), relay()];
    const [countA, countB] = await Promise.all([a.relay.relay(), b.relay.relay()]);
    expect(countA + countB).toBe(200);
    expect(await pending()).toBe(0);
    const ids = (await a.queue.getJobs(['waiting', 'prioritized'])).map((job) => job.id);
    expect(ids).toHaveLength(200);
    expect(new Set(ids).size).toBe(200);
  });

  it('a relay that dies after enqueuing but before marking leaves the rows to the next relay, which cannot enqueue them twice', async () => {
    await createSettlementFixture(db, { merchants: 1, redemptionsPerMerchant: 5, businessDay: '2026-11-22' });
    const { relay: dying, queue } = relay();
    // The jobs are added, then the transaction that would mark the rows is lost (as when the process dies).
    await expect(
      db.transaction(async (manager) => {
        expect(await dying.relayBatch(manager)).toBe(5);
        throw new Error('process killed before commit');
      }),
    ).rejects.toThrow('process killed before commit');
    expect(await pending()).toBe(5);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 5 });

    expect(await relay().relay.relay()).toBe(5);
    expect(await pending()).toBe(0);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 5 });
  });
});
