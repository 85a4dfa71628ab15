export * from './demo-city';
export * from './seed-demo';
