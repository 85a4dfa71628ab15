import type { ComponentType } from 'react';

/** A route's lazy loader taking only the module's `Component` (screens also export pieces other screens reuse). */
export function screen(load: () => Promise<{ Component: ComponentType }>) {
  return async () => ({ Component: (await load()).Component });
}
