export * from './business-day';
export * from './campaign-rules';
export * from './errors';
export * from './licence';
export * from './lifecycle';
export * from './money';
export * from './pii';
export * from './vocabulary';
