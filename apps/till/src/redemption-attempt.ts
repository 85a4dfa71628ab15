/**
 * One redemption at the till, exactly once. Confirming creates an attempt: an Idempotency-Key and the
 * request, stored (localStorage) BEFORE anything is sent. The attempt is sent, and sent again with the
 * SAME key while its outcome is unclear (no answer, a timeout, 5xx, 409 still in progress, 429), until a
 * definite answer arrives; only then is it forgotten. The server answers a repeated key with the first
 * answer, so a retry, a reload or a double tap can never redeem twice or turn a success into an error.
 *
 * Pure logic (transport, storage, clock injected), unit-tested in redemption-attempt.spec.ts.
 */

/** What the till sends: the scanned token or the typed code, and the order amount in fen. */
export interface RedemptionRequest {
  token?: string;
  code?: string;
  orderAmountFen: number;
}

export interface PendingAttempt {
  key: string;
  request: RedemptionRequest;
  /** ISO time the cashier confirmed: shown while the till waits for an answer it lost. */
  startedAt: string;
}

/** What one send answered: the redemption, or a problem's status and code (status 0, NETWORK: no answer). */
export type SendAnswer<R> =
  { ok: true; redemption: R } | { ok: false; status: number; code: string; retryAfterSeconds?: number; body?: unknown };

export type AttemptResult<R> =
  | { state: 'redeemed'; redemption: R }
  /** A definite refusal; `body` is the problem's body (its details: when, threshold, reason). */
  | { state: 'refused'; code: string; body?: unknown }
  /** Still no definite answer after MAX_SENDS sends: the attempt stays stored, to resume with the same key. */
  | { state: 'unclear'; code: string };

export interface AttemptStore {
  load(): PendingAttempt | undefined;
  save(attempt: PendingAttempt): void;
  clear(): void;
}

export interface AttemptDeps<R> {
  store: AttemptStore;
  /** Sends the request with this key; resolves with every answer (never rejects). */
  send(key: string, request: RedemptionRequest): Promise<SendAnswer<R>>;
  sleep(ms: number): Promise<void>;
  newKey(): string;
  now(): Date;
}

export const MAX_SENDS = 5;
const BACKOFF_BASE_MS = 300;
const MAX_WAIT_MS = 4000;

const UNCLEAR_CODES = new Set(['NETWORK', 'REQUEST_IN_PROGRESS', 'RATE_LIMITED', 'UNAVAILABLE']);

function unclear<R>(answer: SendAnswer<R>): boolean {
  return !answer.ok && (answer.status === 0 || answer.status >= 500 || UNCLEAR_CODES.has(answer.code));
}

/** The pause before the next send: doubling from BACKOFF_BASE_MS, or what the server asked for, capped. */
export function retryDelayMs(sent: number, retryAfterSeconds: number | undefined): number {
  const doubling = BACKOFF_BASE_MS * 2 ** (sent - 1);
  return Math.min(
    MAX_WAIT_MS,
    retryAfterSeconds === undefined ? doubling : Math.max(doubling, retryAfterSeconds * 1000),
  );
}

export class RedemptionAttempts<R> {
  private running: Promise<AttemptResult<R>> | undefined;

  constructor(private readonly deps: AttemptDeps<R>) {}

  /** The attempt whose answer has not arrived yet (after a reload, a lost answer), if any. */
  pending(): PendingAttempt | undefined {
    return this.deps.store.load();
  }

  get busy(): boolean {
    return this.running !== undefined;
  }

  /**
   * Confirms `request`. A tap while an attempt runs gets that attempt's result (a double tap is one
   * request); an attempt still stored from before is finished first and its answer is the result, since
   * the cashier must see the first answer, never a second redemption.
   */
  confirm(request: RedemptionRequest): Promise<AttemptResult<R>> {
    if (this.running) return this.running;
    let attempt = this.deps.store.load();
    if (!attempt) {
      attempt = { key: this.deps.newKey(), request, startedAt: this.deps.now().toISOString() };
      this.deps.store.save(attempt);
    }
    return this.run(attempt);
  }

  /** Sends the stored attempt again with its key (after a reload, when the network is back, on "retry"). */
  resume(): Promise<AttemptResult<R>> | undefined {
    if (this.running) return this.running;
    const attempt = this.deps.store.load();
    return attempt && this.run(attempt);
  }

  private run(attempt: PendingAttempt): Promise<AttemptResult<R>> {
    this.running = this.sendUntilDefinite(attempt).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async sendUntilDefinite(attempt: PendingAttempt): Promise<AttemptResult<R>> {
    let code = 'NETWORK';
    for (let sent = 1; sent <= MAX_SENDS; sent += 1) {
      const answer = await this.deps.send(attempt.key, attempt.request);
      if (!unclear(answer)) {
        this.deps.store.clear();
        return answer.ok
          ? { state: 'redeemed', redemption: answer.redemption }
          : { state: 'refused', code: answer.code, body: answer.body };
      }
      if (!answer.ok) code = answer.code;
      if (sent < MAX_SENDS) await this.deps.sleep(retryDelayMs(sent, answer.ok ? undefined : answer.retryAfterSeconds));
    }
    return { state: 'unclear', code };
  }
}

/** The attempt kept in localStorage, so a reload or a crash of the tab resumes it with its key. */
export function storedAttempts(
  storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>,
  storageKey: string,
): AttemptStore {
  return {
    load() {
      const text = storage.getItem(storageKey);
      if (!text) return undefined;
      try {
        const value = JSON.parse(text) as Partial<PendingAttempt>;
        return typeof value.key === 'string' && value.request && typeof value.startedAt === 'string'
          ? (value as PendingAttempt)
          : undefined;
      } catch {
        return undefined;
      }
    },
    save(attempt) {
      storage.setItem(storageKey, JSON.stringify(attempt));
    },
    clear() {
      storage.removeItem(storageKey);
    },
  };
}
