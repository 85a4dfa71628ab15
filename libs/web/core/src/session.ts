import { ApiProblem, type TokenSource } from '@quan/web-api';
import { browserStorage, type KeyValueStorage } from './storage';

export interface TokenPair {
  accessToken: string;
  refreshToken: string;
}

export interface SessionOptions {
  /** localStorage key, one per app ("quan.resident.session"), so two apps on one origin keep apart. */
  storageKey: string;
  /** The app's refresh endpoint, e.g. "/api/v1/auth/refresh" for residents. */
  refreshPath: string;
  baseUrl?: string;
  storage?: KeyValueStorage;
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * The signed-in state of one app: its token pair, kept in localStorage so a reload stays signed in.
 * Refresh tokens rotate: every renewal stores the new pair, and concurrent 401s share one renewal, so
 * a refresh token is never sent twice (the api treats a reused one as theft and ends the session).
 */
export class Session implements TokenSource {
  private pair: TokenPair | undefined;
  private renewal: Promise<boolean> | undefined;
  private readonly listeners = new Set<() => void>();
  private readonly storage: KeyValueStorage;

  constructor(private readonly options: SessionOptions) {
    this.storage = options.storage ?? browserStorage();
    this.pair = readPair(this.storage.getItem(options.storageKey));
  }

  get signedIn(): boolean {
    return this.pair !== undefined;
  }

  accessToken(): string | undefined {
    return this.pair?.accessToken;
  }

  /** Stores the pair a login (or an identity verification, which re-issues tokens) answered with. */
  set(pair: TokenPair): void {
    this.pair = { accessToken: pair.accessToken, refreshToken: pair.refreshToken };
    this.storage.setItem(this.options.storageKey, JSON.stringify(this.pair));
    this.emit();
  }

  clear(): void {
    if (!this.pair) return;
    this.pair = undefined;
    this.storage.removeItem(this.options.storageKey);
    this.emit();
  }

  /** The refresh token to hand to logout. */
  refreshToken(): string | undefined {
    return this.pair?.refreshToken;
  }

  /**
   * Renews the pair; false (and signed out) when the api refuses the refresh token. No answer or a 5xx
   * rejects with that ApiProblem and keeps the pair, since the session may well still be valid.
   */
  refresh(): Promise<boolean> {
    this.renewal ??= this.renew().finally(() => {
      this.renewal = undefined;
    });
    return this.renewal;
  }

  /** For React's useSyncExternalStore: called on sign-in and sign-out. */
  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private async renew(): Promise<boolean> {
    const refreshToken = this.pair?.refreshToken;
    if (!refreshToken) return false;
    const request = new Request(`${this.options.baseUrl ?? ''}${this.options.refreshPath}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
    let response: Response;
    try {
      response = await (this.options.fetch ?? ((r: Request) => globalThis.fetch(r)))(request);
    } catch (error) {
      throw ApiProblem.network(error);
    }
    if (response.ok) {
      const pair = readPair(await response.text());
      if (pair) {
        this.set(pair);
        return true;
      }
    }
    if (response.status >= 500) throw await ApiProblem.fromResponse(response);
    this.clear();
    return false;
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}

function readPair(text: string | null): TokenPair | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<TokenPair>;
    return typeof value.accessToken === 'string' && typeof value.refreshToken === 'string'
      ? { accessToken: value.accessToken, refreshToken: value.refreshToken }
      : undefined;
  } catch {
    return undefined;
  }
}
