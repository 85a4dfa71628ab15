import { ApiProblem, newIdempotencyKey, ok, type components } from '@quan/web-api';
import { StaffSignIn, type StaffAccount, type StaffSessionAnswer } from '@quan/web-core';
import { RedemptionAttempts, storedAttempts, type RedemptionRequest, type SendAnswer } from './redemption-attempt';

export type Redemption = components['schemas']['RedemptionDto'];
export type Quote = components['schemas']['QuoteDto'];
export type { StaffAccount };

/** The cashier's session and account (localStorage under the till's own keys) and the api client that uses them. */
const staff = new StaffSignIn('till');
export const session = staff.session;
export const api = staff.api;

export const storedAccount = (): StaffAccount | undefined => staff.account();
export const signIn = (answer: StaffSessionAnswer): void => staff.signIn(answer);
export const signOut = (): Promise<void> => staff.signOut();

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
    return {
      ok: false,
      status: problem.status,
      code: problem.code,
      retryAfterSeconds: problem.retryAfterSeconds,
      body: problem.body,
    };
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
