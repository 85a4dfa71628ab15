export * from './qr-tokens';
export * from './redemption-decider';
export * from './redemption-queries';
export * from './redemption-writer';
export * from './redemptions.dto';
export * from './redemptions.module';
export * from './reversals';
