import {
  AttemptResult,
  PendingAttempt,
  RedemptionAttempts,
  RedemptionRequest,
  retryDelayMs,
  SendAnswer,
  storedAttempts,
} from './redemption-attempt';

type Redemption = { id: string };

/** A Storage over a Map: what localStorage keeps across a reload of the page. */
function memoryStorage(): Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> {
  const values = new Map<string, string>();
  return {
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
    removeItem: (key) => void values.delete(key),
  };
}

function till(answers: SendAnswer<Redemption>[], storage = memoryStorage()) {
  const sent: { key: string; request: RedemptionRequest }[] = [];
  let keys = 0;
  const attempts = new RedemptionAttempts<Redemption>({
    store: storedAttempts(storage, 'pending'),
    send: async (key, request) => {
      sent.push({ key, request });
      return answers.shift() ?? { ok: false, status: 0, code: 'NETWORK' };
    },
    sleep: () => Promise.resolve(),
    newKey: () => `key-${(keys += 1)}`,
    now: () => new Date('2026-12-07T10:00:00Z'),
  });
  return { attempts, sent, storage };
}

const ORDER: RedemptionRequest = { token: 'a.b.c', orderAmountFen: 12800 };
const LOST: SendAnswer<Redemption> = { ok: false, status: 0, code: 'NETWORK' };

describe('a redemption attempt at the till', () => {
  it('sends one request for a double tap and gives both taps the same answer', async () => {
    const { attempts, sent } = till([{ ok: true, redemption: { id: 'r1' } }]);
    const [first, second] = await Promise.all([attempts.confirm(ORDER), attempts.confirm(ORDER)]);
    expect(sent).toHaveLength(1);
    expect(first).toEqual({ state: 'redeemed', redemption: { id: 'r1' } });
    expect(second).toBe(first);
  });

  it('retries a lost answer, a 503 and a request still in progress with the same key, then forgets the attempt', async () => {
    const { attempts, sent } = till([
      LOST,
      { ok: false, status: 503, code: 'UNAVAILABLE' },
      { ok: false, status: 409, code: 'REQUEST_IN_PROGRESS' },
      { ok: true, redemption: { id: 'r1' } },
    ]);
    expect(await attempts.confirm(ORDER)).toEqual({ state: 'redeemed', redemption: { id: 'r1' } });
    expect(sent.map((s) => s.key)).toEqual(['key-1', 'key-1', 'key-1', 'key-1']);
    expect(attempts.pending()).toBeUndefined();
  });

  it('takes a refusal as the answer at once and forgets the attempt', async () => {
    const { attempts, sent } = till([{ ok: false, status: 422, code: 'ALREADY_REDEEMED' }]);
    expect(await attempts.confirm(ORDER)).toEqual<AttemptResult<Redemption>>({
      state: 'refused',
      code: 'ALREADY_REDEEMED',
    });
    expect(sent).toHaveLength(1);
    expect(attempts.pending()).toBeUndefined();
  });

  it('keeps an attempt that never got an answer, and a reloaded till resumes it with the same key and request', async () => {
    const storage = memoryStorage();
    const before = till([], storage);
    expect(await before.attempts.confirm(ORDER)).toEqual({ state: 'unclear', code: 'NETWORK' });
    expect(before.sent.length).toBe(5);
    expect(before.attempts.pending()).toMatchObject<Partial<PendingAttempt>>({ key: 'key-1', request: ORDER });

    const after = till([{ ok: true, redemption: { id: 'r1' } }], storage);
    expect(await after.attempts.resume()).toEqual({ state: 'redeemed', redemption: { id: 'r1' } });
    expect(after.sent).toEqual([{ key: 'key-1', request: ORDER }]);
    expect(after.attempts.pending()).toBeUndefined();
  });

  it('answers a new confirm with the stored attempt first, never a second redemption beside it', async () => {
    const storage = memoryStorage();
    await till([], storage).attempts.confirm(ORDER);
    const after = till([{ ok: true, redemption: { id: 'r1' } }], storage);
    expect(await after.attempts.confirm({ code: 'OTHER', orderAmountFen: 100 })).toEqual({
      state: 'redeemed',
      redemption: { id: 'r1' },
    });
    expect(after.sent).toEqual([{ key: 'key-1', request: ORDER }]);
  });

  it('waits longer after each unclear send, as long as the server asks, never more than 4 s', () => {
    expect([1, 2, 3].map((sent) => retryDelayMs(sent, undefined))).toEqual([300, 600, 1200]);
    expect(retryDelayMs(1, 2)).toBe(2000);
    expect(retryDelayMs(6, undefined)).toBe(4000);
  });
});
