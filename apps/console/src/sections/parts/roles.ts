import { storedAccount } from '../../runtime';
import type { StaffRole } from '../section';

/** Whether the signed-in account's role is one of `roles` (the api decides in the end; this hides what it would refuse). */
export function hasRole(roles: readonly StaffRole[]): boolean {
  const role = storedAccount()?.role;
  return role !== undefined && roles.includes(role);
}
