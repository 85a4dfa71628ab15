// The domain as web code imports it (tsconfig.web.json maps @quan/domain here): everything except the
// generators that need node:crypto, which only the server uses.
export * from './business-day';
export * from './campaign-rules';
export * from './errors';
export * from './identity';
export * from './licence';
export * from './lifecycle';
export * from './money';
export * from './pii';
export * from './redemption-rules';
export * from './short-code';
export * from './validity';
export * from './vocabulary';
