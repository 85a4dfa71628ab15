export * from './claim-activity';
export * from './claim-writer';
export * from './claims.dto';
export * from './claims.module';
export * from './claims.service';
export * from './monitor.dto';
export * from './round-catalog';
export * from './round-monitor';
