export * from './identity-verifier';
export * from './residents.dto';
export * from './residents.module';
export * from './residents.service';
export * from './sms-sender';
