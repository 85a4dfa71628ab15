export * from './lottery-draws';
export * from './lottery-rounds';
export * from './lottery.dto';
export * from './lottery.module';
export * from './lottery.service';
export * from './published-draws';
export * from './registration-writer';
