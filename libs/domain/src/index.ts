export * from './browser';
export * from './short-code-generator';
export * from './time-ordered-id';
export * from './lottery';
