export * from './business-day';
export * from './errors';
export * from './licence';
export * from './money';
export * from './pii';
