export * from './claim-fixture';
export * from './processes';
export * from './redis-server';
export * from './test-app';
export * from './test-environment';
export * from './redemption-fixture';
