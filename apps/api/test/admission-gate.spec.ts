import { setTimeout as sleep } from 'node:timers/promises';
import { fetch } from 'undici';
import { DataSource } from 'typeorm';
import { createClaimFixture, postClaim } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

/**
 * The admission gate of a real api on a port, with a limit of 4 requests at once: claims held at their
 * commit by a lock on the offer's row keep it full.
 */
describe('the admission gate past its capacity', () => {
  let api: ListeningApi;
  let db: DataSource;
  const origin = () => new URL(api.base).origin;

  beforeAll(async () => {
    api = await listenApi({
      GATE_MIN_CONCURRENCY: 4,
      GATE_INITIAL_CONCURRENCY: 4,
      GATE_MAX_CONCURRENCY: 4,
      GATE_TARGET_LATENCY_MS: 60000,
      GATE_TOKEN_RATE_PER_S: 2,
    });
    db = api.db;
  });

  afterAll(() => api?.close());

  /** Holds the offer's row (which every claim's commit updates) until the returned function is called. */
  const holdOffer = async (offerId: string) => {
    const runner = db.createQueryRunner();
    await runner.startTransaction();
    await runner.query('SELECT 1 FROM round_offers WHERE id = $1 FOR UPDATE', [offerId]);
    return async () => {
      await runner.commitTransaction();
      await runner.release();
    };
  };

  const get = (path: string, headers: Record<string, string> = {}) =>
    fetch(`${origin()}${path}`, { headers, dispatcher: api.clients });

  it('answers requests past it at once with 503 BUSY and Retry-After, keeps health and metrics, and commits what it admitted', async () => {
    const fixture = await createClaimFixture(db, api.env.config, { stock: 100, residents: 30 });
    const claim = (n: number) =>
      postClaim(api.base, fixture, fixture.residents[n].token, {
        idempotencyKey: `gate-key-${n}`,
        dispatcher: api.clients,
      });
    const release = await holdOffer(fixture.offerId);
    const admitted = [0, 1, 2, 3].map((n) => claim(n));
    // The four are in flight once Redis has decided them and they wait on the lock.
    await sleep(500);

    const started = performance.now();
    const shed = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        fetch(`${api.base}/rounds/${fixture.roundId}/claims`, {
          method: 'POST',
          dispatcher: api.clients,
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${fixture.residents[4 + i].token}`,
            'idempotency-key': `gate-key-${4 + i}`,
          },
          body: JSON.stringify({ offerId: fixture.offerId }),
        }),
      ),
    );
    const shedMs = performance.now() - started;
    const bodies = (await Promise.all(shed.map((r) => r.json()))) as { code: string }[];
    expect(shed.map((r) => r.status)).toEqual(Array(16).fill(503));
    expect(new Set(bodies.map((b) => b.code))).toEqual(new Set(['BUSY']));
    for (const answer of shed) {
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(answer.headers.get('retry-after'))).toBeLessThanOrEqual(3);
      expect(answer.headers.get('retry-ticket')).toEqual(expect.any(String));
    }
    // Answered at once, not queued behind the held claims.
    expect(shedMs).toBeLessThan(1000);
    expect((await get('/health/ready')).status).toBe(200);
    expect((await get('/health/live')).status).toBe(200);
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(
      /quan_admission_requests_total\{route="\/api\/v1\/rounds\/:roundId\/claims",outcome="shed",service="api"\} 16/,
    );
    expect(metrics).toMatch(/quan_admission_limit\{service="api"\} 4/);
    expect(metrics).toMatch(/quan_admission_in_flight\{service="api"\} 4/);

    // A shed resident's retry with its ticket, after Retry-After, goes ahead of one without a ticket.
    const ticket = shed[0].headers.get('retry-ticket')!;
    await sleep(Number(shed[0].headers.get('retry-after')) * 1000);
    expect((await get('/api/v1/rounds')).status).toBe(503);
    expect((await get('/api/v1/rounds', { 'retry-ticket': ticket })).status).toBe(200);
    // A ticket works once.
    expect((await get('/api/v1/rounds', { 'retry-ticket': ticket })).status).toBe(503);

    await release();
    const answers = await Promise.all(admitted);
    expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
    const stored = (await db.query('SELECT id FROM claims WHERE round_id = $1', [fixture.roundId])) as { id: string }[];
    expect(new Set(stored.map((c) => c.id))).toEqual(new Set(answers.map((a) => a.body.claimId)));
  }, 60000);

  it('lets one access token make its rate of requests, and refuses its surplus 429 before the gate', async () => {
    const fixture = await createClaimFixture(db, api.env.config, { stock: 10, residents: 1 });
    const headers = { authorization: `Bearer ${fixture.residents[0].token}` };
    const answers = [];
    for (let i = 0; i < 5; i += 1) answers.push(await get('/api/v1/me/vouchers', headers));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 429]);
    expect([((await answers[4].json()) as { code: string }).code, answers[4].headers.get('retry-after')]).toEqual([
      'RATE_LIMITED',
      '1',
    ]);
  });
});
