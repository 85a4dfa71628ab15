import { ClaimAnswer, MAX_SENDS, OPENING_SPREAD_MS, runClaimAttempt } from './claim-attempt';

type Answer = ClaimAnswer<string>;
const problem = (status: number, code: string, retryAfterSeconds?: number): Answer => ({
  ok: false,
  status,
  code,
  retryAfterSeconds,
});

/** Runs an attempt against scripted answers, recording every key sent and every pause taken. */
async function attempt(answers: Answer[], msSinceOpening = 5000, random = () => 0.5) {
  const keys: string[] = [];
  const sleeps: number[] = [];
  const outcome = await runClaimAttempt<string>('key-1', {
    msSinceOpening: () => msSinceOpening,
    send: async (key) => {
      keys.push(key);
      return answers[Math.min(keys.length - 1, answers.length - 1)];
    },
    sleep: async (ms) => void sleeps.push(ms),
    random,
  });
  return { outcome, keys, sleeps };
}

describe('a claim attempt', () => {
  it('retries an unclear outcome (no answer, 503, 409 in progress) with the same key and backoff, and stops at the first answer', async () => {
    const { outcome, keys, sleeps } = await attempt([
      problem(0, 'NETWORK'),
      problem(503, 'UNAVAILABLE', 1),
      problem(409, 'REQUEST_IN_PROGRESS'),
      { ok: true, vouchers: ['v1', 'v2'] },
    ]);
    expect(outcome).toEqual({ state: 'won', vouchers: ['v1', 'v2'] });
    expect(keys).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
    expect(sleeps).toHaveLength(3);
    expect(sleeps[1]).toBeGreaterThanOrEqual(1000);
    expect(sleeps[2]).toBeGreaterThan(sleeps[0]);
  });

  it("gives up after a few sends and says busy, with the server's Retry-After as the wait", async () => {
    const { outcome, keys } = await attempt([problem(503, 'UNAVAILABLE', 2)]);
    expect(keys).toHaveLength(MAX_SENDS);
    expect(outcome).toEqual({ state: 'busy', retryInSeconds: 2 });
  });

  it('does not sit through a long Retry-After: it shows the wait at once', async () => {
    const { outcome, keys } = await attempt([problem(429, 'RATE_LIMITED', 30)]);
    expect(keys).toHaveLength(1);
    expect(outcome).toEqual({ state: 'busy', retryInSeconds: 30 });
  });

  it.each([
    ['SOLD_OUT', 422, { state: 'soldOut' }],
    ['LIMIT_REACHED', 422, { state: 'limitReached' }],
    ['ROUND_NOT_OPEN', 422, { state: 'notOpen' }],
    ['ROUND_CLOSED', 422, { state: 'closed' }],
    ['IDENTITY_REQUIRED', 403, { state: 'needsIdentity' }],
    ['UNAUTHENTICATED', 401, { state: 'needsLogin' }],
    ['OFFER_NOT_FOUND', 404, { state: 'failed', code: 'OFFER_NOT_FOUND' }],
  ])('treats %s as a definite answer, sent once', async (code, status, expected) => {
    const { outcome, keys } = await attempt([problem(status, code)]);
    expect(outcome).toEqual(expected);
    expect(keys).toHaveLength(1);
  });

  it('sends "not open yet" again with the same key right at the opening, where the phone\'s clock may run a little early', async () => {
    const atOpening = await attempt([problem(422, 'ROUND_NOT_OPEN'), { ok: true, vouchers: ['v1'] }], 400);
    expect(atOpening.outcome).toEqual({ state: 'won', vouchers: ['v1'] });
    expect(atOpening.keys).toEqual(['key-1', 'key-1']);
    const wellBefore = await attempt([problem(422, 'ROUND_NOT_OPEN')], -60_000);
    expect([wellBefore.outcome, wellBefore.keys.length]).toEqual([{ state: 'notOpen' }, 1]);
  });

  it('spreads a tap in the opening rush over the first 300 ms after the opening second', async () => {
    expect((await attempt([problem(422, 'SOLD_OUT')], 0, () => 0.9)).sleeps).toEqual([
      Math.floor(0.9 * OPENING_SPREAD_MS),
    ]);
    expect((await attempt([problem(422, 'SOLD_OUT')], 100, () => 0.5)).sleeps).toEqual([50]);
    expect((await attempt([problem(422, 'SOLD_OUT')], 200, () => 0.5)).sleeps).toEqual([]);
    expect((await attempt([problem(422, 'SOLD_OUT')], 5000, () => 0.9)).sleeps).toEqual([]);
  });
});
