import { ApiProblem } from '@quan/web-api';
import { Session } from './session';
import { MemoryStorage } from './storage';

const KEY = 'quan.resident.session';

function sessionWith(fetch: (request: Request) => Promise<Response>, storage = new MemoryStorage()) {
  const session = new Session({
    storageKey: KEY,
    refreshPath: '/api/v1/auth/refresh',
    baseUrl: 'http://api.test',
    storage,
    fetch,
  });
  return { session, storage };
}

describe('session', () => {
  it('keeps the pair across reloads and rotates it on refresh, with one renewal for concurrent callers', async () => {
    const sent: string[] = [];
    const { session, storage } = sessionWith(async (request) => {
      sent.push(((await request.json()) as { refreshToken: string }).refreshToken);
      return Response.json({ accessToken: 'a2', refreshToken: 'r2', expiresIn: 900 });
    });
    session.set({ accessToken: 'a1', refreshToken: 'r1' });
    const reloaded = sessionWith(async () => Response.json({}), storage).session;
    expect(reloaded.accessToken()).toBe('a1');

    expect(await Promise.all([session.refresh(), session.refresh(), session.refresh()])).toEqual([true, true, true]);
    expect(sent).toEqual(['r1']);
    expect(session.accessToken()).toBe('a2');
    expect(JSON.parse(storage.getItem(KEY) ?? '')).toEqual({ accessToken: 'a2', refreshToken: 'r2' });
  });

  it('signs out and tells its listeners when the api refuses the refresh token', async () => {
    const { session, storage } = sessionWith(async () => Response.json({ code: 'UNAUTHENTICATED' }, { status: 401 }));
    session.set({ accessToken: 'a1', refreshToken: 'r1' });
    const changes: boolean[] = [];
    session.subscribe(() => changes.push(session.signedIn));
    expect(await session.refresh()).toBe(false);
    expect(session.signedIn).toBe(false);
    expect(storage.getItem(KEY)).toBeNull();
    expect(changes).toEqual([false]);
  });

  it('stays signed in when the refresh gets no answer, and rejects with NETWORK', async () => {
    const { session } = sessionWith(async () => {
      throw new TypeError('fetch failed');
    });
    session.set({ accessToken: 'a1', refreshToken: 'r1' });
    await expect(session.refresh()).rejects.toEqual(expect.objectContaining({ code: 'NETWORK' }));
    await expect(session.refresh()).rejects.toBeInstanceOf(ApiProblem);
    expect(session.accessToken()).toBe('a1');
  });
});
