import type { StaffSessionAnswer } from './staff-session';
import { StaffSignIn } from './staff-session';
import { MemoryStorage } from './storage';

const ANSWER: StaffSessionAnswer = {
  accessToken: 'a1',
  refreshToken: 'r1',
  tokenType: 'Bearer',
  expiresIn: 900,
  account: {
    id: '00000000-0000-4000-8000-000000000001',
    username: 'auditor',
    displayName: '市审计 只读',
    role: 'auditor',
    countyCode: null,
    merchantId: null,
    disabled: false,
    createdAt: '2026-03-02T09:00:00+08:00',
  },
};

describe('a staff app sign-in', () => {
  it('keeps the account beside the tokens under the app’s own keys, across reloads', () => {
    const storage = new MemoryStorage();
    new StaffSignIn('console', { storage }).signIn(ANSWER);
    const reloaded = new StaffSignIn('console', { storage });
    expect(reloaded.session.accessToken()).toBe('a1');
    expect(reloaded.account()?.role).toBe('auditor');
    // Another app of the origin (the till) has its own keys: not signed in there.
    expect(new StaffSignIn('till', { storage }).account()).toBeUndefined();
  });

  it('signs out at the api with the refresh token, and forgets the account even when the api is unreachable', async () => {
    const sent: unknown[] = [];
    const storage = new MemoryStorage();
    const staff = new StaffSignIn('console', {
      storage,
      baseUrl: 'http://api.test',
      fetch: async (request) => {
        sent.push({ url: request.url, body: await request.json() });
        return new Response(null, { status: 204 });
      },
    });
    staff.signIn(ANSWER);
    await staff.signOut();
    expect(sent).toEqual([{ url: 'http://api.test/api/v1/auth/staff/logout', body: { refreshToken: 'r1' } }]);
    expect(staff.account()).toBeUndefined();
    expect(storage.getItem('quan.console.account')).toBeNull();

    const offline = new StaffSignIn('console', { storage, fetch: () => Promise.reject(new TypeError('offline')) });
    offline.signIn(ANSWER);
    await offline.signOut();
    expect(offline.session.signedIn).toBe(false);
    expect(offline.account()).toBeUndefined();
  });
});
