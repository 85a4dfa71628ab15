import { useSyncExternalStore } from 'react';
import { Navigate, Outlet, useLocation } from 'react-router';
import type { Session } from '@quan/web-core';

/** Whether the app's session holds tokens, re-rendering when it signs in or out. */
export function useSignedIn(session: Session): boolean {
  return useSyncExternalStore(session.subscribe, () => session.signedIn);
}

/** Screens that need a signed-in user send the others to the login, and back afterwards. */
export function RequireSession({ session }: { session: Session }) {
  const signedIn = useSignedIn(session);
  const location = useLocation();
  if (!signedIn) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  return <Outlet />;
}
