export * from './claim-writer';
export * from './claims.dto';
export * from './claims.module';
export * from './claims.service';
export * from './round-catalog';
export * from './wallet-queries';
