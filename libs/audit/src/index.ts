export * from './audit.dto';
export * from './audit.module';
