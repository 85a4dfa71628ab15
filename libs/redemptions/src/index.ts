export * from './redemption-scripts';
export * from './redemption-writer';
export * from './redemptions.dto';
export * from './redemptions.module';
export * from './redemptions.service';
