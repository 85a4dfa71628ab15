import { ApiProblem, createApiClient, newIdempotencyKey, ok, type components } from '@quan/web-api';
import { Session } from '@quan/web-core';
import { RedemptionAttempts, storedAttempts, type RedemptionRequest, type SendAnswer } from './redemption-attempt';

export type Redemption = components['schemas']['RedemptionDto'];
export type Quote = components['schemas']['QuoteDto'];
export type StaffAccount = components['schemas']['StaffAccountDto'];

/** The cashier's session (tokens in localStorage under the till's own key) and the typed api client that uses it. */
export const session = new Session({ storageKey: 'quan.till.session', refreshPath: '/api/v1/auth/staff/refresh' });
export const api = createApiClient({ tokens: session });

/** The signed-in account (role, merchant), kept beside the session so the till draws without a round trip. */
const ACCOUNT_KEY = 'quan.till.account';

export function storedAccount(): StaffAccount | undefined {
  const text = localStorage.getItem(ACCOUNT_KEY);
  return text ? (JSON.parse(text) as StaffAccount) : undefined;
}

export function signIn(answer: components['schemas']['StaffSessionDto']): void {
  localStorage.setItem(ACCOUNT_KEY, JSON.stringify(answer.account));
  session.set(answer);
}

export async function signOut(): Promise<void> {
  const refreshToken = session.refreshToken();
  if (refreshToken) await api.POST('/api/v1/auth/staff/logout', { body: { refreshToken } }).catch(() => undefined);
  localStorage.removeItem(ACCOUNT_KEY);
  session.clear();
}

/** A confirm that has not answered after this long is treated as lost and sent again with its key. */
const CONFIRM_TIMEOUT_MS = 8000;

/** Resolves when the browser says it is online (at once when it is). */
function online(): Promise<void> {
  if (navigator.onLine) return Promise.resolve();
  return new Promise((resolve) => window.addEventListener('online', () => resolve(), { once: true }));
}

async function sendRedemption(key: string, request: RedemptionRequest): Promise<SendAnswer<Redemption>> {
  await online();
  try {
    const redemption = await ok(
      api.POST('/api/v1/merchant/redemptions', {
        params: { header: { 'Idempotency-Key': key } },
        body: request,
        signal: AbortSignal.timeout(CONFIRM_TIMEOUT_MS),
      }),
    );
    return { ok: true, redemption };
  } catch (error) {
    const problem = ApiProblem.from(error);
    return { ok: false, status: problem.status, code: problem.code, retryAfterSeconds: problem.retryAfterSeconds, body: problem.body };
  }
}

/** The till's one redemption in flight (at most one: a till serves one customer at a time). */
export const attempts = new RedemptionAttempts<Redemption>({
  store: storedAttempts(localStorage, 'quan.till.pending'),
  send: sendRedemption,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  newKey: newIdempotencyKey,
  now: () => new Date(),
});
