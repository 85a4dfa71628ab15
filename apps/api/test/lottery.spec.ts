import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetch } from 'undici';
import { RegistrationCounters } from '@quan/counters';
import { lotteryEntry, verifyMerkleProof } from '@quan/domain';
import { LotteryDraws, LotteryRounds, PublishedDrawDto, RegistrationReceiptDto } from '@quan/lottery';
import {
  ClaimFixture,
  closeLotteryRound,
  createClaimFixture,
  createLotteryFixture,
  postClaim,
  REPO_ROOT,
} from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

/** `npm run lottery:verify`'s compiled entry: no database, no service, only the published JSON. */
async function runVerifier(source: string): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    ['-r', join(REPO_ROOT, 'tools/register-paths.cjs'), join(REPO_ROOT, 'dist/tools/src/lottery-verify.js'), source],
    { cwd: REPO_ROOT, env: { PATH: process.env.PATH }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  return { code, output };
}

describe('lottery rounds (摇号): registration, the draw, the published data and its verifier', () => {
  let api: ListeningApi;
  const dir = mkdtempSync(join(tmpdir(), 'quan-lottery-'));

  beforeAll(async () => {
    api = await listenApi();
  });

  afterAll(() => api?.close());

  type Answer<T> = { status: number; body: T & { code?: string } };
  const call = async <T>(
    path: string,
    token?: string,
    init: { method?: string; key?: string } = {},
  ): Promise<Answer<T>> => {
    const response = await fetch(`${api.base}${path}`, {
      dispatcher: api.clients,
      method: init.method ?? 'GET',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(init.key ? { 'idempotency-key': init.key } : {}),
      },
    });
    return { status: response.status, body: (await response.json()) as T & { code?: string } };
  };
  const register = (fixture: ClaimFixture, token: string, key?: string) =>
    call<RegistrationReceiptDto>(`/rounds/${fixture.roundId}/registrations`, token, { method: 'POST', key });

  const drawer = () =>
    new LotteryDraws(
      api.db,
      new LotteryRounds(api.db),
      new RegistrationCounters(api.redis, api.env.config),
      api.env.config,
    );

  it('registers each identity once: racing repeats, with or without a key, get the same receipt', async () => {
    const fixture = await createLotteryFixture(api.db, api.env.config, { stock: 5, residents: 40 });
    const attempts = fixture.residents.flatMap((resident, i) => [
      { resident, key: i % 2 ? `reg-key-${i}-a` : undefined },
      { resident, key: i % 2 ? `reg-key-${i}-a` : `reg-key-${i}-b` },
      { resident, key: undefined },
    ]);
    const answers = await Promise.all(attempts.map(({ resident, key }) => register(fixture, resident.token, key)));
    // A repeat racing the first registration's commit may be told to retry (409 REQUEST_IN_PROGRESS); never a second entry.
    const retried = await Promise.all(
      answers.map((answer, i) =>
        answer.status === 201 ? answer : register(fixture, attempts[i].resident.token, attempts[i].key),
      ),
    );
    expect(retried.every((answer) => answer.status === 201)).toBe(true);
    const { body: published } = await call<PublishedDrawDto>(`/rounds/${fixture.roundId}/lottery`);
    fixture.residents.forEach((resident, i) => {
      const mine = retried.slice(3 * i, 3 * i + 3).map((answer) => answer.body);
      expect(mine[1]).toEqual(mine[0]);
      expect(mine[2]).toEqual(mine[0]);
      expect(mine[0]).toMatchObject({
        roundId: fixture.roundId,
        identityRef: resident.identityId,
        status: 'registered',
        commitment: published.commitment,
        proof: null,
      });
      expect(mine[0].entry).toBe(lotteryEntry(fixture.roundId, mine[0].salt, resident.identityId));
    });
    const [{ n }] = await api.db.query(`SELECT count(*)::int AS n FROM lottery_registrations WHERE round_id = $1`, [
      fixture.roundId,
    ]);
    expect(n).toBe(40);
    // Before the draw the seed is secret and the list not final.
    expect(published).toMatchObject({
      registrations: 40,
      seed: null,
      merkleRoot: null,
      entries: [],
      winners: [],
      stock: 5,
    });
    expect(published.commitment).toMatch(/^[0-9a-f]{64}$/);

    // A key that made a registration cannot make another, in the same campaign or in another one.
    const other = await createLotteryFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const [someone] = other.residents;
    expect((await register(other, someone.token, 'made-one-0001')).status).toBe(201);
    const third = await createLotteryFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const reused = await register(third, someone.token, 'made-one-0001');
    expect([reused.status, reused.body.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
    expect((await register(third, someone.token, 'made-one-0002')).status).toBe(201);
  }, 60000);

  it('refuses registration outside the window with a code, claims of a lottery round, and registration for a first-come round', async () => {
    const closed = await createLotteryFixture(api.db, api.env.config, {
      stock: 5,
      residents: 1,
      opensInMs: -7200000,
      closesInMs: -3600000,
    });
    const late = await register(closed, closed.residents[0].token);
    expect([late.status, late.body.code]).toEqual([409, 'ROUND_CLOSED']);
    const early = await createLotteryFixture(api.db, api.env.config, {
      stock: 5,
      residents: 1,
      opensInMs: 3600000,
      closesInMs: 7200000,
    });
    const tooEarly = await register(early, early.residents[0].token);
    expect([tooEarly.status, tooEarly.body.code]).toEqual([409, 'ROUND_NOT_OPEN']);
    expect(
      (
        await api.db.query(`SELECT count(*)::int AS n FROM lottery_registrations WHERE round_id IN ($1, $2)`, [
          closed.roundId,
          early.roundId,
        ])
      )[0].n,
    ).toBe(0);

    const open = await createLotteryFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const claim = await postClaim(api.base, open, open.residents[0].token);
    expect([claim.status, claim.body.code]).toEqual([409, 'ROUND_IS_LOTTERY']);
    const firstCome = await createClaimFixture(api.db, api.env.config, { stock: 5, residents: 1 });
    const wrongMode = await register(firstCome, firstCome.residents[0].token);
    expect([wrongMode.status, wrongMode.body.code]).toEqual([409, 'ROUND_NOT_LOTTERY']);
  });

  it('draws once, winners ≤ stock and each identity at most once; the verifier agrees and fails on any alteration', async () => {
    const fixture = await createLotteryFixture(api.db, api.env.config, { stock: 7, residents: 30 });
    const receipts = new Map<string, RegistrationReceiptDto>();
    for (const resident of fixture.residents) {
      const answer = await register(fixture, resident.token, `draw-${resident.id}`);
      expect(answer.status).toBe(201);
      receipts.set(resident.id, answer.body);
    }
    // Some residents already hold the campaign's one pack per person, claimed first-come in its other round
    // (of the same stock: 7).
    const holders = fixture.residents.slice(0, 7);
    for (const resident of holders) {
      // A busy shared host may shed a claim (503): the resident tries again with the same key.
      let answer = await postClaim(api.base, fixture.second, resident.token, { idempotencyKey: `hold-${resident.id}` });
      for (let retry = 0; answer.status === 503 && retry < 20; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        answer = await postClaim(api.base, fixture.second, resident.token, { idempotencyKey: `hold-${resident.id}` });
      }
      expect([answer.status, answer.body.code]).toEqual([201, undefined]);
    }

    await closeLotteryRound(api.db, fixture.roundId);
    const draws = drawer();
    expect(await draws.draw(fixture.roundId)).toBe(true);
    expect(await draws.draw(fixture.roundId)).toBe(false);
    await draws.issue(fixture.roundId);
    expect(await drawer().issue(fixture.roundId)).toBe(0);

    const { status, body: published } = await call<PublishedDrawDto>(`/rounds/${fixture.roundId}/lottery`);
    expect(status).toBe(200);
    expect(published.entries).toHaveLength(30);
    expect(published.winners).toHaveLength(7);
    expect(new Set(published.winners).size).toBe(7);
    expect(published.seed).toMatch(/^[0-9a-f]{64}$/);
    const stored = (await api.db.query(`SELECT entry FROM lottery_winners WHERE round_id = $1 ORDER BY rank`, [
      fixture.roundId,
    ])) as { entry: string }[];
    expect(stored.map((row) => row.entry)).toEqual(published.winners);

    // The verifier, from the URL and from a file, recomputes the same winners.
    const fromUrl = await runVerifier(`${api.base}/rounds/${fixture.roundId}/lottery`);
    expect(fromUrl).toEqual({ code: 0, output: expect.stringContaining('holds') });
    const check = async (draw: PublishedDrawDto, name: string) => {
      const file = join(dir, `${name}.json`);
      writeFileSync(file, JSON.stringify(draw));
      return runVerifier(file);
    };
    expect((await check(published, 'as-published')).code).toBe(0);
    const entries = [...published.entries];
    entries[12] = 'f'.repeat(64);
    const loser = published.entries.find((entry) => !published.winners.includes(entry))!;
    const reordered = [...published.entries];
    [reordered[0], reordered[1]] = [reordered[1], reordered[0]];
    const alterations: [string, PublishedDrawDto, RegExp][] = [
      ['one entry', { ...published, entries }, /Merkle root/],
      ['the seed', { ...published, seed: '0'.repeat(64) }, /seed: SHA-256/],
      ['the order', { ...published, entries: reordered }, /list order/],
      ['one winner', { ...published, winners: [loser, ...published.winners.slice(1)] }, /winners\[0\]/],
    ];
    for (const [name, draw, problem] of alterations) {
      const result = await check(draw, name.replace(/ /g, '-'));
      expect([name, result.code]).toEqual([name, 1]);
      expect(result.output).toMatch(problem);
    }

    // Each resident's outcome, with the proof that their entry is in the published list.
    let won = 0;
    for (const resident of fixture.residents) {
      const { body: mine } = await call<RegistrationReceiptDto>(`/me/registrations/${fixture.roundId}`, resident.token);
      expect(mine.entry).toBe(receipts.get(resident.id)!.entry);
      expect(verifyMerkleProof(mine.entry, mine.proof!, published.merkleRoot!)).toBe(true);
      expect(published.entries[mine.position!]).toBe(mine.entry);
      const isWinner = published.winners.includes(mine.entry);
      expect(mine.status).toBe(isWinner ? 'won' : 'not_won');
      if (isWinner) {
        won++;
        // A winner who already held the campaign's one pack per person is not given a second.
        expect(mine.issue).toBe(holders.includes(resident) ? 'limit' : 'issued');
      }
    }
    expect(won).toBe(7);
    const [counts] = await api.db.query(
      `SELECT (SELECT count(*)::int FROM claims WHERE round_id = $1) AS claims,
              (SELECT count(DISTINCT identity_id)::int FROM claims WHERE round_id = $1) AS people,
              (SELECT count(*)::int FROM lottery_winners WHERE round_id = $1 AND outcome = 'issued') AS issued,
              (SELECT count(*)::int FROM vouchers v JOIN claims c ON c.id = v.claim_id WHERE c.round_id = $1) AS vouchers,
              (SELECT issued FROM round_offers WHERE id = $2) AS offer_issued,
              (SELECT max(n)::int FROM (SELECT count(*) AS n FROM claims WHERE campaign_id = $3 GROUP BY identity_id) t) AS most`,
      [fixture.roundId, fixture.offerId, fixture.campaignId],
    );
    expect(counts).toEqual({
      claims: counts.issued,
      people: counts.issued,
      issued: counts.issued,
      vouchers: 2 * counts.issued,
      offer_issued: counts.issued,
      most: 1,
    });

    // After the window a repeat still gets its receipt, now with the outcome.
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const again = await register(fixture, fixture.residents[3].token);
    expect(again.status).toBe(201);
    expect(again.body.registrationId).toBe(receipts.get(fixture.residents[3].id)!.registrationId);
  }, 60000);

  it('gives no pack to a winner whose category limit is used up, and counts a given pack in its categories', async () => {
    const fixture = await createLotteryFixture(api.db, api.env.config, { stock: 4, residents: 4 });
    for (const resident of fixture.residents) expect((await register(fixture, resident.token)).status).toBe(201);
    // Every resident wins (stock 4); two already hold a first-come pack of the campaign's other round.
    const holders = fixture.residents.slice(0, 2);
    for (const resident of holders) {
      let answer = await postClaim(api.base, fixture.second, resident.token, { idempotencyKey: `cat-${resident.id}` });
      for (let retry = 0; answer.status === 503 && retry < 20; retry++) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        answer = await postClaim(api.base, fixture.second, resident.token, { idempotencyKey: `cat-${resident.id}` });
      }
      expect(answer.status).toBe(201);
    }
    // The campaign allows five packs a person, but one in catering, which its vouchers (no categories) count in.
    await api.db.query(
      `UPDATE campaigns SET per_person_limit = 5, per_person_category_limits = '{"catering": 1}' WHERE id = $1`,
      [fixture.campaignId],
    );
    await closeLotteryRound(api.db, fixture.roundId);
    const draws = drawer();
    expect(await draws.draw(fixture.roundId)).toBe(true);
    expect(await draws.issue(fixture.roundId)).toBe(2);
    for (const resident of fixture.residents) {
      const { body: mine } = await call<RegistrationReceiptDto>(`/me/registrations/${fixture.roundId}`, resident.token);
      expect([mine.status, mine.issue]).toEqual(['won', holders.includes(resident) ? 'limit' : 'issued']);
    }
    // Redis counts the given packs in the category too: a winner's first-come claim is refused at its limit.
    const winner = fixture.residents[2];
    const claim = await postClaim(api.base, fixture.second, winner.token, { idempotencyKey: `cat-${winner.id}` });
    expect([claim.status, claim.body.code]).toEqual([409, 'LIMIT_REACHED']);
  }, 60000);
});
