import type { NavigateFunction } from 'react-router';
import { ok } from '@quan/web-api';
import { queryClient } from '../query';
import { api } from '../runtime';

/** Where a fresh sign-in goes: identity verification first if it is still missing, else where the resident was heading. */
export async function afterSignIn(navigate: NavigateFunction, next: string | null): Promise<void> {
  const me = await queryClient.fetchQuery({ queryKey: ['me'], queryFn: () => ok(api.GET('/api/v1/me')) });
  const target = next?.startsWith('/') ? next : '/';
  navigate(me.identityVerified ? target : `/verify?next=${encodeURIComponent(target)}`, { replace: true });
}
