export * from './client';
export * from './idempotency';
export * from './problem';
export * from './server-clock';
export type { components, operations, paths } from './schema';
