export * from './reference.dto';
export * from './reference.module';
export * from './reference.service';
