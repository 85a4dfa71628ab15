import type { ReactNode } from 'react';
import type { RouteObject } from 'react-router';
import type { components } from '@quan/web-api';

export type StaffRole = components['schemas']['StaffRole'];
export interface ConsoleSection {
  key: string;
  labelKey: string;
  icon: ReactNode;
  roles: readonly StaffRole[];
  routes: RouteObject[];
}
