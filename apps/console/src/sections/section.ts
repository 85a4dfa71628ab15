import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import type { components } from '@quan/web-api';

export type StaffRole = components['schemas']['StaffRole'];

/** One menu entry of the console and the screens under /console/<key>/. */
export interface ConsoleSection {
  /** URL segment under /console/ and the menu key, e.g. 'merchants'. */
  key: string;
  /** The menu label's key in the console's texts. */
  labelKey: string;
  icon: ReactNode;
  /** Roles that see the section; the api still decides what each may do. */
  roles: readonly StaffRole[];
  /** Routes relative to /console/<key>/, the index route included. */
  routes: RouteObject[];
}
