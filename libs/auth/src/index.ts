export * from './auth.guard';
export * from './auth.module';
export * from './decorators';
export * from './principal';
export * from './roles';
export * from './token.service';
export * from './voucher-tokens';
