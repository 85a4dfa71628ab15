import { BUSY_RESENDS, BusyState, createApiClient, ok, type TokenSource } from './client';
import { ApiProblem } from './problem';
import { ServerClock } from './server-clock';

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', ...headers } });
}

function tokensOf(initial: string, renewed?: string): TokenSource & { refreshes: number } {
  let token = initial;
  return {
    refreshes: 0,
    accessToken: () => token,
    async refresh() {
      this.refreshes += 1;
      if (renewed === undefined) return false;
      token = renewed;
      return true;
    },
  };
}

describe('api client', () => {
  it('sends the bearer token, renews it once on 401 and sends the same call again', async () => {
    const seen: string[] = [];
    const tokens = tokensOf('old', 'new');
    const api = createApiClient({
      tokens,
      baseUrl: 'http://api.test',
      fetch: async (request) => {
        seen.push(`${request.headers.get('authorization')} ${await request.text()}`);
        return request.headers.get('authorization') === 'Bearer new'
          ? json(201, { ok: true })
          : json(401, { code: 'UNAUTHENTICATED', detail: 'expired' });
      },
    });
    await ok(api.POST('/api/v1/me/identity', { body: { name: '张三', idNumber: '11010519491231002X' } }));
    expect(seen).toEqual([
      'Bearer old {"name":"张三","idNumber":"11010519491231002X"}',
      'Bearer new {"name":"张三","idNumber":"11010519491231002X"}',
    ]);
    expect(tokens.refreshes).toBe(1);
  });

  it('rejects with the 401 problem when the session cannot be renewed', async () => {
    const tokens = tokensOf('old');
    const api = createApiClient({
      tokens,
      baseUrl: 'http://api.test',
      fetch: async () => json(401, { code: 'UNAUTHENTICATED', detail: 'expired' }),
    });
    await expect(ok(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 401, code: 'UNAUTHENTICATED' });
    expect(tokens.refreshes).toBe(1);
  });

  it('turns a problem+json answer into an ApiProblem with its code, wait and fields', async () => {
    const api = createApiClient({
      baseUrl: 'http://api.test',
      fetch: async () =>
        json(429, {
          code: 'RATE_LIMITED',
          detail: 'slow down',
          retryAfterSeconds: 42,
          errors: [{ field: 'phone', messages: ['x'] }],
        }),
    });
    const problem = await ok(api.POST('/api/v1/auth/otp', { body: { phone: '13800000000' } })).catch((e: unknown) => e);
    expect(problem).toBeInstanceOf(ApiProblem);
    expect(problem).toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
      detail: 'slow down',
      retryAfterSeconds: 42,
      fields: [{ field: 'phone', messages: ['x'] }],
    });
  });

  it('reads the wait of a 503 from Retry-After and a code from the status when the body is not problem+json', async () => {
    const api = createApiClient({
      baseUrl: 'http://api.test',
      fetch: async () => new Response('<html>Bad gateway</html>', { status: 503, headers: { 'retry-after': '7' } }),
    });
    await expect(ok(api.GET('/api/v1/me'))).rejects.toMatchObject({
      status: 503,
      code: 'UNAVAILABLE',
      retryAfterSeconds: 7,
      retryable: true,
    });
  });

  it('turns no answer at all into code NETWORK', async () => {
    const api = createApiClient({
      baseUrl: 'http://api.test',
      fetch: async () => {
        throw new TypeError('fetch failed');
      },
    });
    await expect(ok(api.GET('/api/v1/me'))).rejects.toMatchObject({ status: 0, code: 'NETWORK', retryable: true });
  });

  it('learns the server clock from the Date header of answers, errors included', async () => {
    let local = 1_000_000;
    const clock = new ServerClock(() => local);
    const serverAhead = 90_000;
    const api = createApiClient({
      clock,
      baseUrl: 'http://api.test',
      fetch: async () =>
        json(404, { code: 'NOT_FOUND', detail: '' }, { date: new Date(Date.now() + serverAhead).toUTCString() }),
    });
    await ok(api.GET('/api/v1/me')).catch(() => undefined);
    local = Date.now();
    // One answer bounds the offset to the header's whole second (plus the round trip).
    expect(Math.abs(clock.now() - (Date.now() + serverAhead))).toBeLessThanOrEqual(1100);
  });
});

describe('api client when the api sheds a call (503 BUSY)', () => {
  const busyAnswer = (ticket: string, wait = '2') =>
    json(
      503,
      { code: 'BUSY', detail: 'at capacity', retryAfterSeconds: Number(wait) },
      { 'retry-after': wait, 'retry-ticket': ticket },
    );

  it('sends the same call again after Retry-After with its ticket, saying meanwhile when it will', async () => {
    const seen: string[] = [];
    const waits: number[] = [];
    const busy = new BusyState();
    const shown: (number | undefined)[] = [];
    busy.subscribe(() => shown.push(busy.get()));
    const api = createApiClient({
      baseUrl: 'http://api.test',
      busy,
      // A real pause of a few milliseconds: two sheds in the same millisecond would announce the same moment,
      // which the state rightly does not repeat.
      sleep: async (ms) => {
        waits.push(ms);
        await new Promise((resolve) => setTimeout(resolve, 5));
      },
      fetch: async (request) => {
        seen.push(`${request.headers.get('retry-ticket')} ${await request.text()}`);
        return seen.length < 3
          ? busyAnswer(`t${seen.length}`)
          : json(200, { accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
      },
    });
    await ok(api.POST('/api/v1/auth/login', { body: { phone: '13800000000', code: '123456' } }));
    const body = '{"phone":"13800000000","code":"123456"}';
    expect(seen).toEqual([`null ${body}`, `t1 ${body}`, `t2 ${body}`]);
    expect(waits).toEqual([2000, 2000]);
    expect(shown.map((until) => until !== undefined)).toEqual([true, true, false]);
  });

  it(`gives up with BUSY after ${BUSY_RESENDS} resends, and does not wait for a long Retry-After`, async () => {
    let sent = 0;
    const api = createApiClient({
      baseUrl: 'http://api.test',
      busy: new BusyState(),
      sleep: async () => undefined,
      fetch: async () => ((sent += 1), busyAnswer('t')),
    });
    await expect(ok(api.GET('/api/v1/rounds'))).rejects.toMatchObject({
      status: 503,
      code: 'BUSY',
      retryAfterSeconds: 2,
    });
    expect(sent).toBe(BUSY_RESENDS + 1);
    sent = 0;
    const patient = createApiClient({
      baseUrl: 'http://api.test',
      busy: new BusyState(),
      sleep: async () => undefined,
      fetch: async () => ((sent += 1), busyAnswer('t', '30')),
    });
    await expect(ok(patient.GET('/api/v1/rounds'))).rejects.toMatchObject({ code: 'BUSY', retryAfterSeconds: 30 });
    expect(sent).toBe(1);
  });
});

describe('server clock', () => {
  it('narrows the offset with each answer to well under the Date header resolution', () => {
    let local = 0;
    const clock = new ServerClock(() => local);
    const trueOffset = 123_456;
    // Answers received at local times 0.1 s apart, each stamped with the server second it left in.
    for (let t = 10_000; t < 12_000; t += 100) {
      const server = t + trueOffset;
      clock.observe(new Date(Math.floor(server / 1000) * 1000).toUTCString(), t - 20, t);
    }
    local = 50_000;
    expect(Math.abs(clock.now() - (50_000 + trueOffset))).toBeLessThanOrEqual(60);
  });

  it('takes a serverTime to the millisecond from a single answer', () => {
    const clock = new ServerClock(() => 5_000);
    clock.observeExact(new Date(1_000_000).toISOString(), 4_990, 5_010);
    expect(clock.now()).toBe(1_000_000 + 5_000 - 5_000);
  });

  it('starts again when the phone clock jumps and the bounds no longer overlap', () => {
    const clock = new ServerClock(() => 0);
    clock.observe(new Date(100_000).toUTCString(), 0, 10);
    clock.observe(new Date(100_000).toUTCString(), 3_600_000, 3_600_010);
    expect(Math.abs(clock.offsetMs - (100_000 - 3_600_000 + 495))).toBeLessThanOrEqual(10);
  });
});
