import { createApiClient } from '@quan/web-api';
import { Session } from '@quan/web-core';

/** The resident's session (tokens in localStorage under its own key) and the typed api client that uses it. */
export const session = new Session({ storageKey: 'quan.resident.session', refreshPath: '/api/v1/auth/refresh' });
export const api = createApiClient({ tokens: session });
