import { createApiClient, type ApiClient, type components } from '@quan/web-api';
import { Session, type SessionOptions } from './session';
import { browserStorage, type KeyValueStorage } from './storage';

export type StaffAccount = components['schemas']['StaffAccountDto'];
export type StaffRole = components['schemas']['StaffRole'];
export type StaffSessionAnswer = components['schemas']['StaffSessionDto'];

/**
 * The signed-in staff member of one app (the till, the console): the token pair in a Session and the
 * account (role, county, merchant) beside it, so the app draws its menus without a round trip. Keys are
 * `quan.<app>.session` and `quan.<app>.account`, so two apps on one origin keep apart.
 */
export class StaffSignIn {
  readonly session: Session;
  readonly api: ApiClient;
  private readonly accountKey: string;
  private readonly storage: KeyValueStorage;

  constructor(app: string, options: Pick<SessionOptions, 'baseUrl' | 'storage' | 'fetch'> = {}) {
    this.storage = options.storage ?? browserStorage();
    this.session = new Session({
      ...options,
      storageKey: `quan.${app}.session`,
      refreshPath: '/api/v1/auth/staff/refresh',
      storage: this.storage,
    });
    this.api = createApiClient({ tokens: this.session, baseUrl: options.baseUrl, fetch: options.fetch });
    this.accountKey = `quan.${app}.account`;
  }

  /** The account of the last sign-in while the session holds tokens. */
  account(): StaffAccount | undefined {
    const text = this.session.signedIn ? this.storage.getItem(this.accountKey) : null;
    return text ? (JSON.parse(text) as StaffAccount) : undefined;
  }

  signIn(answer: StaffSessionAnswer): void {
    this.storage.setItem(this.accountKey, JSON.stringify(answer.account));
    this.session.set(answer);
  }

  /** Ends the session at the api too; signed out here even when the api cannot be reached. */
  async signOut(): Promise<void> {
    const refreshToken = this.session.refreshToken();
    if (refreshToken)
      await this.api.POST('/api/v1/auth/staff/logout', { body: { refreshToken } }).catch(() => undefined);
    this.storage.removeItem(this.accountKey);
    this.session.clear();
  }
}
