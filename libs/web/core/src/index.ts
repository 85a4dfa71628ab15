export * from './error-messages';
export * from './i18n';
export * from './money';
export * from './problem-message';
export * from './query-client';
export * from './session';
export * from './time';
