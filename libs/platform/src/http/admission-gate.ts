import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { FastifyInstance } from 'fastify';
import { LRUCache } from 'lru-cache';
import { Counter, Gauge, Registry } from 'prom-client';
import { AppConfig } from '@quan/config';
import { DomainError, ErrorCode } from '@quan/domain';
import { replyWithProblem } from './problem.filter';

export interface AdaptiveLimitOptions {
  min: number;
  max: number;
  initial: number;
  /** The p90 latency of admitted requests, in milliseconds, below which the limit never shrinks. */
  targetMs: number;
}

/** How often the limit is reconsidered, and the fewest completions that tell anything about a window. */
const WINDOW_MS = 200;
const WINDOW_MIN_SAMPLES = 10;
/** Share of the limit that requests carrying a retry ticket may use on top of it. */
const RETRY_HEADROOM = 0.25;
/** A window's p90 this many times the usual one means requests queue: the limit shrinks. */
const TOLERANCE = 2;
/** Weight of each window in the usual p90 (a slow average: some seconds). */
const USUAL_WEIGHT = 0.05;
/** The usual p90 goes no higher than this many times the target: past twice that, the limit always shrinks. */
const USUAL_MAX = 5;

/**
 * A concurrency limit that adapts to the latency it measures (AIMD with a gradient test, after Netflix's
 * concurrency-limits): every window whose p90 exceeds both the target and twice the usual p90 (a slow
 * average of the windows' p90), requests queue inside the process, and the limit is cut by a fifth; every
 * window within that while the limit was nearly used, it grows by a tenth. A host that is slow at any load
 * raises the usual p90 with it, so the limit is not driven down where admitting less would not make anything
 * faster; a pile-up (a saturated pool, a slow commit) outruns the slow average and is cut at once. The usual
 * p90 is held under USUAL_MAX times the target, so admitted requests never settle at waits of seconds.
 */
export class AdaptiveLimit {
  private current: number;
  private inFlightNow = 0;
  private samples: number[] = [];
  private busiest = 0;
  private windowStart: number;
  private usualP90: number;
  private congested = false;

  constructor(
    private readonly options: AdaptiveLimitOptions,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.current = options.initial;
    this.windowStart = now();
    this.usualP90 = options.targetMs / TOLERANCE;
  }

  get limit(): number {
    return this.current;
  }

  get inFlight(): number {
    return this.inFlightNow;
  }

  /** Takes a place when one is free; a retry may use RETRY_HEADROOM more. Every place taken is given back by release(). */
  tryAcquire(retry: boolean): boolean {
    const room = retry ? Math.ceil(this.current * (1 + RETRY_HEADROOM)) : this.current;
    if (this.inFlightNow >= room) return false;
    this.inFlightNow += 1;
    this.busiest = Math.max(this.busiest, this.inFlightNow);
    return true;
  }

  /** Told when a request was refused because what admitted requests wait for is saturated: the limit is cut at the window's end. */
  congestion(): void {
    this.congested = true;
  }

  release(latencyMs: number): void {
    this.inFlightNow -= 1;
    this.samples.push(latencyMs);
    const now = this.now();
    if (now - this.windowStart < WINDOW_MS || this.samples.length < WINDOW_MIN_SAMPLES) return;
    const sorted = Float64Array.from(this.samples).sort();
    const p90 = sorted[Math.floor(sorted.length * 0.9)];
    const { min, max, targetMs } = this.options;
    if (this.congested || p90 > Math.max(targetMs, TOLERANCE * this.usualP90))
      this.current = Math.max(min, Math.floor(this.current * 0.8));
    else if (this.busiest >= this.current * 0.9)
      this.current = Math.min(max, this.current + Math.max(1, Math.ceil(this.current * 0.1)));
    this.usualP90 = Math.min(targetMs * USUAL_MAX, this.usualP90 + (p90 - this.usualP90) * USUAL_WEIGHT);
    this.congested = false;
    this.samples = [];
    this.busiest = this.inFlightNow;
    this.windowStart = now;
  }
}

/** How long after its Retry-After a ticket still gives priority. */
const TICKET_VALID_MS = 30_000;
/** Slack for a client whose timer fires a little early. */
const TICKET_EARLY_MS = 250;

/**
 * Tickets handed to shed requests: the retry that presents one after its Retry-After (and within
 * TICKET_VALID_MS) is admitted into the retry headroom, once. Signed with a key every api process derives
 * from JWT_SECRET, so a retry may land on another process; a ticket is spent only in the process it reached.
 */
export class RetryTickets {
  private readonly key: Buffer;
  private readonly spent = new LRUCache<string, true>({ max: 200_000, ttl: TICKET_VALID_MS + TICKET_EARLY_MS });

  constructor(secret: string) {
    this.key = createHmac('sha256', secret).update('admission retry tickets').digest();
  }

  private signature(body: string): Buffer {
    return createHmac('sha256', this.key).update(body).digest().subarray(0, 16);
  }

  issue(notBeforeMs: number): string {
    const body = `${notBeforeMs.toString(36)}.${randomBytes(9).toString('base64url')}`;
    return `${body}.${this.signature(body).toString('base64url')}`;
  }

  /** Whether the ticket is ours, due and not yet spent; spends it. */
  redeem(ticket: string | undefined, nowMs = Date.now()): boolean {
    if (!ticket || ticket.length > 64) return false;
    const cut = ticket.lastIndexOf('.');
    const body = ticket.slice(0, cut);
    const given = Buffer.from(ticket.slice(cut + 1), 'base64url');
    if (cut < 0 || given.length !== 16 || !timingSafeEqual(given, this.signature(body))) return false;
    const notBefore = parseInt(body.split('.')[0], 36);
    if (nowMs < notBefore - TICKET_EARLY_MS || nowMs > notBefore + TICKET_VALID_MS || this.spent.has(body))
      return false;
    this.spent.set(body, true);
    return true;
  }
}

/**
 * Requests per second for each key (an access token: one resident's device), with bursts of twice that;
 * answers how many seconds until the next request is allowed, or 0 when this one is.
 */
export class TokenBuckets {
  private readonly buckets = new LRUCache<string, { tokens: number; at: number }>({ max: 200_000 });

  constructor(private readonly ratePerS: number) {}

  take(key: string, nowMs = Date.now()): number {
    const burst = 2 * this.ratePerS;
    const bucket = this.buckets.get(key) ?? { tokens: burst, at: nowMs };
    bucket.tokens = Math.min(burst, bucket.tokens + ((nowMs - bucket.at) / 1000) * this.ratePerS);
    bucket.at = nowMs;
    this.buckets.set(key, bucket);
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerS));
    bucket.tokens -= 1;
    return 0;
  }
}

export const RETRY_TICKET_HEADER = 'retry-ticket';
/** Retry-After of a shed request, in seconds: random within these bounds, so that shed residents do not all come back at once. */
const SHED_RETRY_AFTER_S: [number, number] = [1, 3];

/**
 * The admission gate, the first hook of every API request (health, metrics, docs and web assets never pass
 * it): a request whose access token went past its rate is refused 429 RATE_LIMITED; one past the process's
 * adaptive limit is refused 503 BUSY at once, with a Retry-After and a ticket that puts its retry ahead of
 * requests without one; so is every request while `saturated` says that admitted requests would queue for
 * Postgres connections. Admitted requests are counted until their answer is sent, and their latency moves the limit.
 */
export function registerAdmissionGate(
  fastify: FastifyInstance,
  config: Pick<
    AppConfig,
    | 'GATE_MIN_CONCURRENCY'
    | 'GATE_MAX_CONCURRENCY'
    | 'GATE_INITIAL_CONCURRENCY'
    | 'GATE_TARGET_LATENCY_MS'
    | 'GATE_TOKEN_RATE_PER_S'
    | 'JWT_SECRET'
  >,
  registry: Registry,
  apiPrefix: string,
  saturated: () => boolean = () => false,
): AdaptiveLimit {
  const limit = new AdaptiveLimit({
    min: config.GATE_MIN_CONCURRENCY,
    max: config.GATE_MAX_CONCURRENCY,
    initial: config.GATE_INITIAL_CONCURRENCY,
    targetMs: config.GATE_TARGET_LATENCY_MS,
  });
  const tickets = new RetryTickets(config.JWT_SECRET);
  const perToken = new TokenBuckets(config.GATE_TOKEN_RATE_PER_S);
  const requests = new Counter({
    name: 'quan_admission_requests_total',
    help: 'API requests by route and what the admission gate did: admitted, admitted_retry (on a ticket), shed (503 BUSY), throttled (429, per token)',
    labelNames: ['route', 'outcome'],
    registers: [registry],
  });
  new Gauge({
    name: 'quan_admission_limit',
    help: "The admission gate's current concurrency limit",
    registers: [registry],
    collect() {
      this.set(limit.limit);
    },
  });
  new Gauge({
    name: 'quan_admission_in_flight',
    help: 'API requests admitted and not yet answered',
    registers: [registry],
    collect() {
      this.set(limit.inFlight);
    },
  });
  const gated = `/${apiPrefix}/`;
  // One child per route and outcome, made once: labelling a counter on every request costs a key built each time.
  const children = new Map<string, Counter.Internal>();
  const count = (route: string, outcome: 'admitted' | 'admitted_retry' | 'shed' | 'throttled') => {
    const key = `${outcome} ${route}`;
    let child = children.get(key);
    if (!child) children.set(key, (child = requests.labels({ route, outcome })));
    child.inc();
  };

  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.url.startsWith(gated)) return done();
    const route = request.routeOptions.url ?? 'unmatched';
    const authorization = request.headers.authorization;
    const wait = authorization ? perToken.take(authorization) : 0;
    if (wait > 0) {
      count(route, 'throttled');
      replyWithProblem(
        new DomainError(ErrorCode.RateLimited, 'Too many requests from this session; try again shortly', {
          retryAfterSeconds: wait,
        }),
        request,
        reply,
      );
      return;
    }
    const ticket = request.headers[RETRY_TICKET_HEADER];
    const retry = typeof ticket === 'string' && tickets.redeem(ticket);
    // A queue for Postgres connections as long as the pool: a request admitted now would wait in it towards the
    // connect timeout and a 503 UNAVAILABLE, so it is shed now instead, and the limit comes down.
    const congested = saturated();
    if (congested) limit.congestion();
    if (congested || !limit.tryAcquire(retry)) {
      count(route, 'shed');
      const retryAfterSeconds = randomInt(SHED_RETRY_AFTER_S[0], SHED_RETRY_AFTER_S[1] + 1);
      reply.header(RETRY_TICKET_HEADER, tickets.issue(Date.now() + retryAfterSeconds * 1000));
      replyWithProblem(
        new DomainError(
          ErrorCode.Busy,
          'The service is at capacity; retry after Retry-After with the Retry-Ticket header',
          { retryAfterSeconds },
        ),
        request,
        reply,
      );
      return;
    }
    count(route, retry ? 'admitted_retry' : 'admitted');
    const started = performance.now();
    // 'close' comes after the answer is sent, or when the client went away first: the place is given back either way.
    reply.raw.once('close', () => limit.release(performance.now() - started));
    done();
  });
  return limit;
}
