/**
 * One claim attempt (one tap on 抢): a single Idempotency-Key, sent once, and sent again with the SAME key
 * only while the outcome is unclear (no answer, a timeout, 503 busy, 409 still in progress). The server
 * answers a repeated key with the first answer, so retries can never make a second claim.
 *
 * Pure logic: the transport, the clock and the randomness are injected, so the retry rules are unit-tested
 * without a browser (claim-attempt.spec.ts).
 */

/** What the claim endpoint answered: the vouchers, or a problem's code (NETWORK when no answer came). */
export type ClaimAnswer<V> =
  { ok: true; vouchers: V[] } | { ok: false; status: number; code: string; retryAfterSeconds?: number };

/** The state the claim button shows; every answer code has its own. */
export type ClaimOutcome<V> =
  | { state: 'won'; vouchers: V[] }
  | { state: 'soldOut' }
  | { state: 'limitReached' }
  | { state: 'notOpen' }
  | { state: 'closed' }
  | { state: 'needsIdentity' }
  | { state: 'needsLogin' }
  /** Still unclear after the automatic retries, or the server asked for a pause: try again (same attempt) in N s. */
  | { state: 'busy'; retryInSeconds: number }
  /** Any other definite refusal: shown with its code's message. */
  | { state: 'failed'; code: string };

export interface AttemptDeps<V> {
  /** Sends the claim with this key; must resolve (never reject), NETWORK for no answer or a timeout. */
  send(idempotencyKey: string): Promise<ClaimAnswer<V>>;
  /** Milliseconds since the opening by the server clock as the phone estimates it (negative before). */
  msSinceOpening(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1). */
  random(): number;
}

/** At most this many sends of one attempt before the button says "busy, try again in N s". */
export const MAX_SENDS = 4;
/** First backoff; doubled per retry, with full jitter. */
export const BACKOFF_BASE_MS = 400;
/** A server asking for a longer pause than this is not waited for automatically: the resident sees the wait. */
export const MAX_AUTO_WAIT_MS = 4000;
/** Clients spread their first claim over this many milliseconds after the opening second (no thundering herd). */
export const OPENING_SPREAD_MS = 300;
/**
 * The server clock is learnt from Date headers, whole seconds: the phone's estimate of the opening may be a
 * little early. "Not open yet" this close to the opening is sent again (the server kept nothing for the key).
 */
export const OPENING_UNCERTAINTY_MS = 1500;

const UNCLEAR = new Set(['NETWORK', 'UNAVAILABLE', 'BUSY', 'REQUEST_IN_PROGRESS', 'RATE_LIMITED', 'INTERNAL']);

function definite<V>(answer: ClaimAnswer<V>): ClaimOutcome<V> | undefined {
  if (answer.ok) return { state: 'won', vouchers: answer.vouchers };
  switch (answer.code) {
    case 'SOLD_OUT':
      return { state: 'soldOut' };
    case 'LIMIT_REACHED':
      return { state: 'limitReached' };
    case 'ROUND_NOT_OPEN':
      return { state: 'notOpen' };
    case 'ROUND_CLOSED':
      return { state: 'closed' };
    case 'IDENTITY_REQUIRED':
      return { state: 'needsIdentity' };
    case 'UNAUTHENTICATED':
      return { state: 'needsLogin' };
    default:
      return UNCLEAR.has(answer.code) || answer.status >= 500 ? undefined : { state: 'failed', code: answer.code };
  }
}

/** The pause before send number `sent + 1`: exponential backoff with full jitter, or the server's Retry-After. */
export function backoffMs(sent: number, retryAfterSeconds: number | undefined, random: () => number): number {
  const jittered = Math.floor(random() * BACKOFF_BASE_MS * 2 ** (sent - 1)) + 100;
  return retryAfterSeconds === undefined ? jittered : Math.max(retryAfterSeconds * 1000, jittered);
}

/**
 * Runs (or resumes) one attempt with `idempotencyKey` until a definite answer, or until MAX_SENDS sends left
 * it unclear. A tap in the opening rush is spread over OPENING_SPREAD_MS.
 */
export async function runClaimAttempt<V>(idempotencyKey: string, deps: AttemptDeps<V>): Promise<ClaimOutcome<V>> {
  const msSinceOpening = deps.msSinceOpening();
  if (msSinceOpening >= 0 && msSinceOpening < OPENING_SPREAD_MS) {
    // Send at a random moment of the opening's first OPENING_SPREAD_MS, not the instant the button lit up.
    const sendAt = Math.floor(deps.random() * OPENING_SPREAD_MS);
    if (sendAt > msSinceOpening) await deps.sleep(sendAt - msSinceOpening);
  }
  let last: ClaimAnswer<V> | undefined;
  for (let sent = 1; sent <= MAX_SENDS; sent += 1) {
    last = await deps.send(idempotencyKey);
    const early =
      !last.ok && last.code === 'ROUND_NOT_OPEN' && Math.abs(deps.msSinceOpening()) < OPENING_UNCERTAINTY_MS;
    const outcome = early ? undefined : definite(last);
    if (outcome) return outcome;
    if (sent === MAX_SENDS) break;
    const wait = backoffMs(sent, last.ok ? undefined : last.retryAfterSeconds, deps.random);
    if (wait > MAX_AUTO_WAIT_MS) break;
    await deps.sleep(wait);
  }
  const retryAfter = last && !last.ok ? last.retryAfterSeconds : undefined;
  return { state: 'busy', retryInSeconds: Math.max(1, Math.min(60, retryAfter ?? 3)) };
}
