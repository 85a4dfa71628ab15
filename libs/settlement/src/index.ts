export * from './payouts.service';
export * from './reconciliation';
export * from './settlement-run';
export * from './settlement-runs';
export * from './settlement.dto';
export * from './settlement.module';
export * from './statements.service';
