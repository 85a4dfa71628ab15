import createClient, { type Client } from 'openapi-fetch';
import { ApiProblem } from './problem';
import type { paths } from './schema';
import { serverClock, type ServerClock } from './server-clock';

/** Where the client gets its bearer token, and how it renews it once an answer says 401. */
export interface TokenSource {
  accessToken(): string | undefined;
  /** Renews the tokens; false when the session is over (the app shows its login). */
  refresh(): Promise<boolean>;
}

export interface ApiClientOptions {
  /** Origin of the api; '' (the default) is the page's own origin, which serves the apps. */
  baseUrl?: string;
  tokens?: TokenSource;
  clock?: ServerClock;
  fetch?: (request: Request) => Promise<Response>;
  /** Where the client says it is waiting to resend a call the api shed (503 BUSY); the app shows it. */
  busy?: BusyState;
  sleep?: (ms: number) => Promise<void>;
}

/** The header of a shed answer (503 BUSY) whose ticket, sent back with the retry, puts the retry ahead of new calls. */
const RETRY_TICKET = 'retry-ticket';
/** Times a shed call is sent again, each after the api's Retry-After, before it is given up as BUSY. */
export const BUSY_RESENDS = 3;
/** A Retry-After longer than this is not waited for automatically: the call fails with BUSY and the screen says so. */
const BUSY_MAX_WAIT_S = 10;

/**
 * When the client expects to resend calls the api shed: the moment (local epoch ms) of the next resend, or
 * undefined. A React screen reads it with useSyncExternalStore(busy.subscribe, busy.get).
 */
export class BusyState {
  private until: number | undefined;
  private readonly listeners = new Set<() => void>();

  readonly get = (): number | undefined => this.until;

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  set(until: number | undefined): void {
    if (until === this.until) return;
    this.until = until;
    this.listeners.forEach((listener) => listener());
  }
}

export const busyState = new BusyState();

export type ApiClient = Client<paths>;

/**
 * The typed client of the api. Every call resolves with a 2xx answer or rejects with an ApiProblem:
 * non-2xx answers become their problem, no answer at all becomes code NETWORK. A 401 to a call that
 * carried a token renews the token once through `tokens` and sends the call again. Every answer,
 * errors included, feeds the server clock.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { tokens, clock = serverClock, busy = busyState } = options;
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  /**
   * A call the admission gate shed was not started at all, so it is sent again as it is, even a POST, after
   * the answer's Retry-After and with its ticket, up to BUSY_RESENDS times; meanwhile `busy` says when.
   */
  async function send(request: Request, renewed: boolean, ticket?: string, resends = 0): Promise<Response> {
    // A fresh copy per attempt, so a request whose body was read can be sent again after a renewal.
    const attempt = request.clone();
    const token = tokens?.accessToken();
    if (token) attempt.headers.set('authorization', `Bearer ${token}`);
    if (ticket) attempt.headers.set(RETRY_TICKET, ticket);
    const sentAt = Date.now();
    let response: Response;
    try {
      response = await fetchImpl(attempt);
    } catch (error) {
      throw ApiProblem.network(error);
    }
    clock.observe(response.headers.get('date'), sentAt, Date.now());
    const shedTicket = response.status === 503 ? response.headers.get(RETRY_TICKET) : null;
    const waitS = Number(response.headers.get('retry-after') ?? 1);
    if (shedTicket && resends < BUSY_RESENDS && waitS <= BUSY_MAX_WAIT_S) {
      busy.set(Date.now() + waitS * 1000);
      await sleep(waitS * 1000);
      return send(request, renewed, shedTicket, resends + 1);
    }
    busy.set(undefined);
    if (response.status === 401 && token && !renewed && tokens && (await tokens.refresh())) return send(request, true);
    if (!response.ok) throw await ApiProblem.fromResponse(response);
    return response;
  }

  return createClient<paths>({ baseUrl: options.baseUrl ?? '', fetch: (request) => send(request, false) });
}

/** The body of a call's answer; with createApiClient a failed call has already rejected with its ApiProblem. */
export async function ok<T>(call: Promise<{ data?: T; response: Response }>): Promise<T> {
  const { data } = await call;
  return data as T;
}
