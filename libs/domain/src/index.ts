export * from './business-day';
export * from './errors';
export * from './identity';
export * from './licence';
export * from './money';
export * from './pii';
export * from './short-code';
export * from './validity';
