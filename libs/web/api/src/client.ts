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
}

export type ApiClient = Client<paths>;

/**
 * The typed client of the api. Every call resolves with a 2xx answer or rejects with an ApiProblem:
 * non-2xx answers become their problem, no answer at all becomes code NETWORK. A 401 to a call that
 * carried a token renews the token once through `tokens` and sends the call again. Every answer,
 * errors included, feeds the server clock.
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const { tokens, clock = serverClock } = options;
  const fetchImpl = options.fetch ?? ((request: Request) => globalThis.fetch(request));

  async function send(request: Request, renewed: boolean): Promise<Response> {
    // A fresh copy per attempt, so a request whose body was read can be sent again after a renewal.
    const attempt = request.clone();
    const token = tokens?.accessToken();
    if (token) attempt.headers.set('authorization', `Bearer ${token}`);
    const sentAt = Date.now();
    let response: Response;
    try {
      response = await fetchImpl(attempt);
    } catch (error) {
      throw ApiProblem.network(error);
    }
    clock.observe(response.headers.get('date'), sentAt, Date.now());
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
