import { createApiClient, type components } from '@quan/web-api';
import { Session } from '@quan/web-core';

export type StaffAccount = components['schemas']['StaffAccountDto'];

export const session = new Session({ storageKey: 'quan.console.session', refreshPath: '/api/v1/auth/staff/refresh' });
export const api = createApiClient({ tokens: session });

export function storedAccount(): StaffAccount | undefined {
  const text = localStorage.getItem('quan.console.account');
  return text ? (JSON.parse(text) as StaffAccount) : undefined;
}
