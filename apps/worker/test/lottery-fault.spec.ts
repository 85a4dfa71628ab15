import { DataSource } from 'typeorm';
import { createDataSource } from '@quan/data';
import { drawWinners, merkleRoot, packEntries } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import {
  closeLotteryRound,
  createLotteryFixture,
  createTestEnvironment,
  insertRegistrations,
  startCompiledService,
  StartedProcess,
  TestEnvironment,
} from '@quan/testing';

const REGISTRATIONS = 20000;
const STOCK = 4000;

describe('a lottery draw survives kill -9 of the worker in the middle of it', () => {
  let env: TestEnvironment;
  let db: DataSource;
  const workers: StartedProcess[] = [];

  const startWorker = async () => {
    const worker = await startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      CAMPAIGN_CLOCK_MS: '1000',
      LOTTERY_WINNERS_PER_CHUNK: '20',
      LOG_LEVEL: 'info',
    });
    workers.push(worker);
    return worker;
  };
  const one = async (sql: string, params: unknown[]) => Number((await db.query(sql, params))[0].n);

  beforeAll(async () => {
    env = await createTestEnvironment();
    db = createDataSource(env.config);
    await db.initialize();
  });

  afterAll(async () => {
    await Promise.all(
      workers
        .filter((worker) => worker.child.exitCode === null && worker.child.signalCode === null)
        .map((worker) => {
          worker.child.kill('SIGKILL');
          return worker.exited;
        }),
    );
    await db?.destroy();
    await env?.dispose();
  });

  it('the restarted worker finishes the draw exactly once, with the same winners', async () => {
    const fixture = await createLotteryFixture(db, env.config, { stock: STOCK, residents: REGISTRATIONS });
    await db.query(`UPDATE campaigns SET per_person_limit = 5 WHERE id = $1`, [fixture.campaignId]);
    await insertRegistrations(db, fixture);
    await closeLotteryRound(db, fixture.roundId);

    const first = await startWorker();
    // Killed once the winners are drawn and some, not all, have their vouchers.
    const given = `SELECT count(*) AS n FROM lottery_winners WHERE round_id = $1 AND outcome IS NOT NULL`;
    await waitUntil('part of the winners served', async () => (await one(given, [fixture.roundId])) > 0, 120000, 5);
    first.child.kill('SIGKILL');
    expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
    const servedBeforeKill = await one(given, [fixture.roundId]);
    expect(servedBeforeKill).toBeLessThan(STOCK);
    const winnersBeforeKill = (
      (await db.query(`SELECT entry FROM lottery_winners WHERE round_id = $1 ORDER BY rank`, [fixture.roundId])) as {
        entry: string;
      }[]
    ).map((row) => row.entry);
    expect(winnersBeforeKill).toHaveLength(STOCK);

    await startWorker();
    await waitUntil(
      'the interrupted draw finishing',
      async () =>
        (await one(`SELECT count(*) AS n FROM lottery_draws WHERE round_id = $1 AND issued_at IS NOT NULL`, [
          fixture.roundId,
        ])) === 1,
      120000,
      200,
    );

    const [draw] = (await db.query(`SELECT seed, merkle_root FROM lottery_draws WHERE round_id = $1`, [
      fixture.roundId,
    ])) as { seed: string; merkle_root: string }[];
    const entries = (
      (await db.query(`SELECT entry FROM lottery_registrations WHERE round_id = $1 ORDER BY entry COLLATE "C"`, [
        fixture.roundId,
      ])) as { entry: string }[]
    ).map((row) => row.entry);
    const root = merkleRoot(packEntries(entries));
    expect(draw.merkle_root).toBe(root);
    // The same winners as before the kill, and as the algorithm computes from the seed and the list.
    const winners = (
      (await db.query(`SELECT entry FROM lottery_winners WHERE round_id = $1 ORDER BY rank`, [fixture.roundId])) as {
        entry: string;
      }[]
    ).map((row) => row.entry);
    expect(winners).toEqual(winnersBeforeKill);
    expect(winners).toEqual(drawWinners(draw.seed, root, entries.length, STOCK).map((i) => entries[i]));

    const [result] = await db.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT count(*)::int FROM vouchers v JOIN claims c ON c.id = v.claim_id WHERE c.round_id = $1) AS vouchers,
              (SELECT count(*)::int FROM lottery_winners WHERE round_id = $1 AND outcome = 'issued' AND claim_id IS NOT NULL) AS issued,
              (SELECT issued FROM round_offers WHERE id = $2) AS "offerIssued"`,
      [fixture.roundId, fixture.offerId],
    );
    expect(result).toEqual({ claims: STOCK, people: STOCK, vouchers: 2 * STOCK, issued: STOCK, offerIssued: STOCK });
  }, 240000);
});
