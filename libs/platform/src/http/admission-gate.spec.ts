import Fastify from 'fastify';
import { Registry } from 'prom-client';
import { AdaptiveLimit, registerAdmissionGate, RetryTickets, TokenBuckets } from './admission-gate';

describe('the admission gate', () => {
  describe('its adaptive limit', () => {
    const withClock = (options = { min: 4, max: 64, initial: 16, targetMs: 100 }) => {
      let now = 0;
      const limit = new AdaptiveLimit(options, () => now);
      /** One 200 ms window of `n` requests, all in flight at once, each taking `latencyMs`. */
      const window = (n: number, latencyMs: number) => {
        let admitted = 0;
        for (let i = 0; i < n; i += 1) if (limit.tryAcquire(false)) admitted += 1;
        now += 200;
        for (let i = 0; i < admitted; i += 1) limit.release(latencyMs);
        return admitted;
      };
      return { limit, window };
    };

    it('admits up to the limit and refuses past it, a retry getting a quarter more', () => {
      const { limit } = withClock();
      for (let i = 0; i < 16; i += 1) expect(limit.tryAcquire(false)).toBe(true);
      expect(limit.tryAcquire(false)).toBe(false);
      for (let i = 0; i < 4; i += 1) expect(limit.tryAcquire(true)).toBe(true);
      expect(limit.tryAcquire(true)).toBe(false);
      expect(limit.inFlight).toBe(20);
    });

    it('shrinks when admitted requests turn slower than the target and than usual, never below the minimum', () => {
      const { limit, window } = withClock();
      for (let i = 0; i < 20; i += 1) window(10, 5);
      window(16, 500);
      expect(limit.limit).toBe(12);
      for (let i = 0; i < 8; i += 1) window(limit.limit, 500);
      expect(limit.limit).toBe(4);
    });

    it('does not stay down on a host that is slow at any load: the usual latency follows it', () => {
      const { limit, window } = withClock();
      for (let i = 0; i < 100; i += 1) window(limit.limit, 500);
      expect(limit.limit).toBeGreaterThan(16);
    });

    it('always shrinks while the p90 is past ten times the target, however long that lasts', () => {
      const { limit, window } = withClock();
      for (let i = 0; i < 100; i += 1) window(limit.limit, 1500);
      expect(limit.limit).toBe(4);
    });

    it('never shrinks for a p90 within the target, however fast requests usually are', () => {
      const { limit, window } = withClock();
      for (let i = 0; i < 20; i += 1) window(10, 1);
      for (let i = 0; i < 20; i += 1) window(limit.limit, 90);
      expect(limit.limit).toBe(64);
    });

    it('grows while it is used and requests stay fast, never above the maximum; an idle limit stays put', () => {
      const { limit, window } = withClock();
      window(16, 10);
      expect(limit.limit).toBe(18);
      for (let i = 0; i < 40; i += 1) window(limit.limit, 10);
      expect(limit.limit).toBe(64);
      const idle = withClock();
      for (let i = 0; i < 10; i += 1) idle.window(10, 10);
      expect(idle.limit.limit).toBe(16);
    });
  });

  it('sheds every request at once while admitted ones would queue for Postgres connections, and lowers its limit', async () => {
    let saturated = true;
    const fastify = Fastify();
    const config = {
      GATE_MIN_CONCURRENCY: 1,
      GATE_MAX_CONCURRENCY: 100,
      GATE_INITIAL_CONCURRENCY: 50,
      GATE_TARGET_LATENCY_MS: 100,
      GATE_TOKEN_RATE_PER_S: 100,
      JWT_SECRET: 'j'.repeat(32),
    };
    const limit = registerAdmissionGate(fastify, config, new Registry(), 'api/v1', () => saturated);
    fastify.get('/api/v1/thing', async () => ({ ok: true }));
    fastify.get('/health/live', async () => ({ ok: true }));
    expect((await fastify.inject({ url: '/api/v1/thing' })).json()).toMatchObject({ status: 503, code: 'BUSY' });
    expect((await fastify.inject({ url: '/health/live' })).statusCode).toBe(200);
    saturated = false;
    // Ten quick answers close the window in which the pool was saturated.
    await new Promise((resolve) => setTimeout(resolve, 210));
    for (let i = 0; i < 10; i += 1) expect((await fastify.inject({ url: '/api/v1/thing' })).statusCode).toBe(200);
    expect(limit.limit).toBe(40);
    await fastify.close();
  });

  describe('its retry tickets', () => {
    const tickets = new RetryTickets('s'.repeat(32));

    it('admit once, from their Retry-After to 30 s after it', () => {
      const ticket = tickets.issue(10_000);
      expect(tickets.redeem(ticket, 5_000)).toBe(false);
      expect(tickets.redeem(ticket, 10_000)).toBe(true);
      expect(tickets.redeem(ticket, 10_001)).toBe(false);
      expect(tickets.redeem(tickets.issue(10_000), 41_000)).toBe(false);
    });

    it('refuse a ticket not signed with the key, or altered', () => {
      const ticket = tickets.issue(10_000);
      expect(new RetryTickets('t'.repeat(32)).redeem(ticket, 10_000)).toBe(false);
      const [, nonce, signature] = ticket.split('.');
      expect(tickets.redeem(['0', nonce, signature].join('.'), 10_000)).toBe(false);
      expect(tickets.redeem('x', 10_000)).toBe(false);
    });
  });

  it('lets each access token make its rate of requests per second, with bursts of twice that', () => {
    const buckets = new TokenBuckets(2);
    expect([0, 0, 0, 0].map(() => buckets.take('a', 0))).toEqual([0, 0, 0, 0]);
    expect(buckets.take('a', 0)).toBe(1);
    expect(buckets.take('b', 0)).toBe(0);
    expect(buckets.take('a', 500)).toBe(0);
    expect(buckets.take('a', 500)).toBe(1);
  });
});
