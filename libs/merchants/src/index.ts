export * from './merchant-directory.service';
export * from './merchant-scope';
export * from './merchants.dto';
export * from './merchants.module';
export * from './merchants.service';
