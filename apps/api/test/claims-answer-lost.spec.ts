import { createServer, connect, Server, Socket } from 'node:net';
import { configWith } from '@quan/config';
import { personKey, roundKey } from '@quan/counters';
import { ClaimFixture, createClaimFixture, freePort, postClaim } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

/** The shortest CLAIM_UNCOMMITTED_AFTER_MS allowed. */
const UNCOMMITTED_AFTER_MS = 20000;

/**
 * A TCP relay between the api and Postgres that can lose the next claim statement's answer (the server
 * committed the claim) or the statement itself (the server never saw it), cutting the connection either way,
 * or cut every connection and refuse new ones for a while.
 */
class ClaimStatementRelay {
  target = { host: '127.0.0.1', port: 5432 };
  lost = 0;
  private next: 'answer' | 'statement' | undefined;
  private refusing = false;
  private readonly open = new Set<Socket>();
  private readonly server: Server;

  private constructor(readonly port: number) {
    this.server = createServer((client) => {
      if (this.refusing) return void client.destroy();
      const upstream = connect(this.target.port, this.target.host);
      this.open.add(client);
      client.on('close', () => this.open.delete(client));
      let answerLost = false;
      const cut = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('data', (chunk) => {
        // The claim batch is the prepared statement named claim-commit (ClaimWriter).
        if (this.next && chunk.includes('claim-commit')) {
          const losing = this.next;
          this.next = undefined;
          this.lost += 1;
          if (losing === 'statement') return cut();
          answerLost = true;
        }
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => (answerLost ? cut() : client.write(chunk)));
      for (const socket of [client, upstream]) {
        socket.on('error', cut);
        socket.on('close', cut);
      }
    });
  }

  static async start(): Promise<ClaimStatementRelay> {
    const relay = new ClaimStatementRelay(await freePort());
    await new Promise<void>((resolve) => relay.server.listen(relay.port, '127.0.0.1', resolve));
    return relay;
  }

  lose(what: 'answer' | 'statement'): void {
    this.next = what;
  }

  /** Cuts every connection and refuses new ones until `accept`, as a Postgres restarting would. */
  refuse(): void {
    this.refusing = true;
    for (const socket of this.open) socket.destroy();
  }

  accept(): void {
    this.refusing = false;
  }

  close(): void {
    this.server.close();
  }
}

/**
 * A claim whose statement was sent to Postgres but whose answer never came back (a dropped connection, a
 * client-side timeout) may have committed. It is answered from Postgres when it did, and its counts stay
 * in Redis when it did not, until the decision is old enough that it cannot commit any more.
 */
describe('claims whose commit answer is lost', () => {
  let api: ListeningApi;
  let relay: ClaimStatementRelay;

  beforeAll(async () => {
    relay = await ClaimStatementRelay.start();
    api = await listenApi({ CLAIM_UNCOMMITTED_AFTER_MS: UNCOMMITTED_AFTER_MS }, (config) => {
      const url = new URL(config.DATABASE_URL);
      relay.target = { host: url.hostname, port: Number(url.port || 5432) };
      url.hostname = '127.0.0.1';
      url.port = String(relay.port);
      return configWith(config, { DATABASE_URL: url.toString() });
    });
  });

  afterAll(async () => {
    await api?.close();
    relay?.close();
  });

  const claim = (round: Pick<ClaimFixture, 'roundId' | 'offerId'>, token: string) => postClaim(api.base, round, token);
  const claimsOf = async (residentId: string) =>
    (await api.db.query(`SELECT id, round_id FROM claims WHERE resident_id = $1 ORDER BY person_seq`, [
      residentId,
    ])) as { id: string; round_id: string }[];
  const personCounts = (fixture: ClaimFixture, identityId: string) =>
    api.redis.hgetall(personKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId, identityId));
  const issuedInRedis = (fixture: ClaimFixture) =>
    api.redis.hget(
      roundKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId, fixture.roundId),
      `i:${fixture.offerId}`,
    );

  it('answers a claim that committed from Postgres and keeps it counted, so the round limit holds', async () => {
    const fixture = await createClaimFixture(api.db, api.env.config, {
      stock: 10,
      residents: 1,
      perPersonLimit: 2,
      perPersonRoundLimit: 1,
    });
    const [resident] = fixture.residents;
    relay.lose('answer');
    const first = await claim(fixture, resident.token);
    expect(relay.lost).toBe(1);
    expect(first.status).toBe(201);
    expect(await claimsOf(resident.id)).toEqual([{ id: first.body.claimId, round_id: fixture.roundId }]);
    expect(await personCounts(fixture, resident.identityId)).toMatchObject({ c: '1', [`r:${fixture.roundId}`]: '1' });

    // At the round's limit a retry gets that claim back; the other round still takes one.
    const again = await claim(fixture, resident.token);
    expect([again.status, again.body.claimId]).toEqual([201, first.body.claimId]);
    expect((await claim(fixture.second, resident.token)).status).toBe(201);
    expect((await claimsOf(resident.id)).map((row) => row.round_id)).toEqual([fixture.roundId, fixture.second.roundId]);
  });

  it('keeps the person counts of a claim that never reached Postgres until it is old, then lets the resident claim', async () => {
    const fixture = await createClaimFixture(api.db, api.env.config, { stock: 10, residents: 1 });
    const [resident] = fixture.residents;
    relay.lose('statement');
    const decided = Date.now();
    const lost = await postClaim(api.base, fixture, resident.token, { idempotencyKey: 'lost-statement' });
    expect(relay.lost).toBe(2);
    expect([lost.status, lost.body.code]).toEqual([503, 'UNAVAILABLE']);
    expect(await claimsOf(resident.id)).toEqual([]);
    // Given back now, it could commit later still (had the statement been on its way): the counts stay,
    // and a retry with its key is still in progress. Its stock is given back: Postgres backs the stock.
    expect(await personCounts(fixture, resident.identityId)).toMatchObject({ c: '1' });
    expect(await issuedInRedis(fixture)).toBe('0');
    expect((await postClaim(api.base, fixture, resident.token, { idempotencyKey: 'lost-statement' })).body.code).toBe(
      'REQUEST_IN_PROGRESS',
    );
    expect((await claim(fixture, resident.token)).body.code).toBe('LIMIT_REACHED');

    await new Promise((resolve) => setTimeout(resolve, decided + UNCOMMITTED_AFTER_MS + 500 - Date.now()));
    const settled = await claim(fixture, resident.token);
    expect(settled.status).toBe(201);
    expect(await claimsOf(resident.id)).toEqual([{ id: settled.body.claimId, round_id: fixture.roundId }]);
  }, 60000);

  it('gives back a claim whose statement was never sent, for want of a connection', async () => {
    const fixture = await createClaimFixture(api.db, api.env.config, { stock: 10, residents: 2 });
    const [resident, neighbour] = fixture.residents;
    // The api has the round in memory by now, so this claim's statement is its first need of Postgres.
    expect((await claim(fixture, neighbour.token)).status).toBe(201);
    relay.refuse();
    // The pool notices its connections closed; the claim then needs a new one, which is cut at once.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const refused = await claim(fixture, resident.token);
    relay.accept();
    expect([refused.status, refused.body.code]).toEqual([503, 'UNAVAILABLE']);
    // Decided (the script counted the person), then given back whole.
    expect(await personCounts(fixture, resident.identityId)).toMatchObject({ c: '0' });
    expect(await issuedInRedis(fixture)).toBe('1');
    expect((await claim(fixture, resident.token)).status).toBe(201);
  });

  it('gives back a claim Postgres cancelled at its statement timeout: the client waits longer, so the outcome is known', async () => {
    const fixture = await createClaimFixture(api.db, api.env.config, { stock: 10, residents: 2 });
    const [resident, neighbour] = fixture.residents;
    expect((await claim(fixture, neighbour.token)).status).toBe(201);
    // The claim's statement waits for the offer's row, which the test holds past the statement timeout.
    const blocker = api.db.createQueryRunner();
    await blocker.connect();
    let stalled: Awaited<ReturnType<typeof claim>>;
    try {
      await blocker.startTransaction();
      await blocker.query('SELECT 1 FROM round_offers WHERE id = $1 FOR UPDATE', [fixture.offerId]);
      stalled = await claim(fixture, resident.token);
    } finally {
      await blocker.commitTransaction().catch(() => undefined);
      await blocker.release();
    }
    expect([stalled.status, stalled.body.code]).toEqual([503, 'UNAVAILABLE']);
    expect(await personCounts(fixture, resident.identityId)).toMatchObject({ c: '0' });
    expect(await issuedInRedis(fixture)).toBe('1');
    expect((await claim(fixture, resident.token)).status).toBe(201);
  }, 30000);
});
