import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { personKey, roundKey } from '@quan/counters';
import { createDataSource } from '@quan/data';
import { waitUntil } from '@quan/platform';
import {
  ClaimFixture,
  createClaimFixture,
  createTestEnvironment,
  postClaim,
  startCompiledService,
  StartedService,
  TestEnvironment,
} from '@quan/testing';

const SENT = 10;
const QUEUED = 30;
/** The shortest CLAIM_UNCOMMITTED_AFTER_MS allowed. */
const UNCOMMITTED_AFTER_MS = 20000;

/**
 * An api killed with -9 between its Redis decisions and their commit. Its batch already in Postgres
 * commits without it; the claims still queued in the api are lost, yet Redis counted them, so their
 * claimants hit the limit of one. Once those decisions are older than CLAIM_UNCOMMITTED_AFTER_MS, the
 * next claim takes the person's counts from Postgres and succeeds; nobody ends up with two.
 */
describe('claims when the api dies between decision and commit', () => {
  let env: TestEnvironment;
  let dataSource: DataSource;
  let redis: Redis;
  const apis: StartedService[] = [];

  beforeAll(async () => {
    env = await createTestEnvironment();
    dataSource = createDataSource(env.config);
    await dataSource.initialize();
    redis = new Redis(env.config.REDIS_URL);
  });

  afterAll(async () => {
    for (const api of apis) api.child.kill('SIGKILL');
    redis?.disconnect();
    await dataSource?.destroy();
    await env?.dispose();
  });

  const startApi = async (uncommittedAfterMs: number) => {
    const api = await startCompiledService('apps/api/src/main.js', 'PORT', {
      DATABASE_URL: env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: env.config.REDIS_KEY_PREFIX,
      LOG_LEVEL: 'warn',
      GROUP_COMMIT_CONCURRENCY: '1',
      CLAIM_UNCOMMITTED_AFTER_MS: String(uncommittedAfterMs),
    });
    apis.push(api);
    return api;
  };

  const claim = (api: StartedService, fixture: ClaimFixture, token: string) =>
    postClaim(`${api.url}/api/v1`, fixture, token);

  const committedClaims = async (fixture: ClaimFixture) =>
    new Map(
      (
        (await dataSource.query(`SELECT identity_id, id FROM claims WHERE round_id = $1`, [fixture.roundId])) as {
          identity_id: string;
          id: string;
        }[]
      ).map((row) => [row.identity_id, row.id]),
    );

  const claimStatementsRunning = async () =>
    (
      (await dataSource.query(
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'active' AND query LIKE '%INSERT INTO claims%'`,
      )) as { n: number }[]
    )[0].n;

  it('gives lost decisions back to their claimants, who then claim once', async () => {
    const fixture = await createClaimFixture(dataSource, env.config, { stock: 100, residents: SENT + QUEUED });
    const prefix = env.config.REDIS_KEY_PREFIX;
    const issuedInRedis = async () =>
      Number(await redis.hget(roundKey(prefix, fixture.campaignId, fixture.roundId), `i:${fixture.offerId}`));
    const countedInRedis = (identityId: string) => redis.hget(personKey(prefix, fixture.campaignId, identityId), 'c');

    const doomed = await startApi(60000);
    // With the stock row locked, the api's first batch waits in Postgres and the claims after it queue in the api.
    const blocker = dataSource.createQueryRunner();
    await blocker.connect();
    try {
      await blocker.startTransaction();
      await blocker.query(`SELECT 1 FROM round_offers WHERE id = $1 FOR UPDATE`, [fixture.offerId]);
      const cut = (answer: Promise<unknown>) => answer.catch(() => 'connection cut');
      const sent = fixture.residents.slice(0, SENT).map((resident) => cut(claim(doomed, fixture, resident.token)));
      await waitUntil(
        'a claim batch waiting for the stock row',
        async () => (await claimStatementsRunning()) === 1,
        10000,
      );
      const waitingSince = Date.now();
      const queued = fixture.residents.slice(SENT).map((resident) => cut(claim(doomed, fixture, resident.token)));
      await waitUntil('every claim decided in Redis', async () => (await issuedInRedis()) === SENT + QUEUED, 10000);
      doomed.child.kill('SIGKILL');
      await doomed.exited;
      await Promise.all([...sent, ...queued]);
      // The waiting statement is cancelled 5 s after it reached Postgres; it must get the row before that.
      expect(Date.now() - waitingSince).toBeLessThan(4000);
    } finally {
      if (blocker.isTransactionActive) await blocker.rollbackTransaction();
      await blocker.release();
    }
    await waitUntil(
      'the batch sent before the kill finished',
      async () => (await claimStatementsRunning()) === 0,
      10000,
    );

    const lostAt = Date.now();
    const first = await committedClaims(fixture);
    const lost = fixture.residents.filter((resident) => !first.has(resident.identityId));
    expect(first.size).toBeGreaterThan(0);
    expect(lost.length).toBeGreaterThanOrEqual(QUEUED);
    for (const resident of lost) expect(await countedInRedis(resident.identityId)).toBe('1');

    // While the lost decisions are younger than CLAIM_UNCOMMITTED_AFTER_MS, they still count.
    const patient = await startApi(60000);
    const early = await claim(patient, fixture, lost[0].token);
    expect(early).toMatchObject({ status: 409, body: { code: 'LIMIT_REACHED' } });
    patient.child.kill('SIGKILL');

    const settling = await startApi(UNCOMMITTED_AFTER_MS);
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, lostAt + UNCOMMITTED_AFTER_MS - Date.now())));
    // Ten at a time, as a handful of residents would, not a burst at an api that has just started.
    const answers: Awaited<ReturnType<typeof claim>>[] = [];
    for (let i = 0; i < fixture.residents.length; i += 10) {
      answers.push(
        ...(await Promise.all(
          fixture.residents.slice(i, i + 10).map((resident) => claim(settling, fixture, resident.token)),
        )),
      );
    }
    expect(answers.map((answer) => answer.status)).toEqual(fixture.residents.map(() => 201));
    // Those whose claim committed get that claim back; the others a new one.
    fixture.residents.forEach((resident, i) => {
      if (first.has(resident.identityId)) expect(answers[i].body.claimId).toBe(first.get(resident.identityId));
    });

    const after = await committedClaims(fixture);
    const [{ claims, people }] = (await dataSource.query(
      `SELECT count(*)::int AS claims, count(DISTINCT identity_id)::int AS people FROM claims WHERE round_id = $1`,
      [fixture.roundId],
    )) as { claims: number; people: number }[];
    expect({ claims, people }).toEqual({ claims: SENT + QUEUED, people: SENT + QUEUED });
    for (const resident of fixture.residents) {
      expect(after.has(resident.identityId)).toBe(true);
      expect(await countedInRedis(resident.identityId)).toBe('1');
    }
    // The lost decisions' stock stays counted in Redis until the round is rebuilt: fewer sold, never more.
    const [{ issued }] = (await dataSource.query(`SELECT issued FROM round_offers WHERE id = $1`, [
      fixture.offerId,
    ])) as { issued: number }[];
    expect(issued).toBe(SENT + QUEUED);
    expect(await issuedInRedis()).toBeGreaterThanOrEqual(issued);
  }, 180000);
});
