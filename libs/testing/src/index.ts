export * from './claim-fixture';
export * from './processes';
export * from './redemption-fixture';
export * from './redis-server';
export * from './settlement-fixture';
export * from './test-app';
export * from './test-environment';
export * from './browser';
