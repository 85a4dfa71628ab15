export * from './risk-rules';
export * from './risk-scorer';
export * from './risk.dto';
export * from './risk.module';
export * from './risk.service';
