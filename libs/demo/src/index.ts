export * from './demo-city';
export * from './seed-demo';
export * from './settled-day';
