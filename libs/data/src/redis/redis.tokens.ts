/** Injection token of the shared request-path Redis client. */
export const REDIS = Symbol('REDIS');
