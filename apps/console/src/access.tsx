import { Alert } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useSignedIn } from '@quan/web-ui';
import type { StaffAccount } from '@quan/web-core';
import type { StaffRole } from './sections/section';
import { staff } from './runtime';

/** The bureau's roles: the console is theirs. */
export const BUREAU_ROLES = [
  'city_admin',
  'county_admin',
  'finance',
  'auditor',
] as const satisfies readonly StaffRole[];
/** Merchant staff work in the till (/till/), not here. */
export const MERCHANT_ROLES = ['merchant_admin', 'cashier'] as const satisfies readonly StaffRole[];
/** Who configures and runs campaigns: the city, and a county within its county (the api checks the scope). */
export const OPERATORS = ['city_admin', 'county_admin'] as const satisfies readonly StaffRole[];

export function isMerchantRole(role: StaffRole): boolean {
  return (MERCHANT_ROLES as readonly StaffRole[]).includes(role);
}

/** The signed-in account, re-read when the session signs in or out; undefined when signed out. */
export function useAccount(): StaffAccount | undefined {
  const signedIn = useSignedIn(staff.session);
  return signedIn ? staff.account() : undefined;
}

/**
 * Whether the signed-in account has one of `roles`. Screens use it (or <Allowed>) to hide what a role may
 * not do, e.g. every write button from auditors; the api still refuses what is not allowed.
 */
export function useAllowed(roles: readonly StaffRole[]): boolean {
  const role = useAccount()?.role;
  return role !== undefined && roles.includes(role);
}

/** Renders `children` only for `roles` (else `fallback`): `<Allowed roles={OPERATORS}><Button>…</Button></Allowed>`. */
export function Allowed({
  roles,
  children,
  fallback = null,
}: {
  roles: readonly StaffRole[];
  children: ReactNode;
  fallback?: ReactNode;
}) {
  return useAllowed(roles) ? children : fallback;
}

/** Where merchant staff work. */
export const TILL_PATH = '/till/';

/**
 * Merchant staff are sent to the till: a console session of theirs is ended (the till signs in on its
 * own) and the browser leaves for /till/, saying why meanwhile.
 */
export function ToTill() {
  const { t } = useTranslation('console');
  useEffect(() => {
    void staff.signOut().finally(() => window.location.replace(TILL_PATH));
  }, []);
  return <Alert role="status" type="info" showIcon title={t('login.toTill')} />;
}
