export * from './campaign-aggregate';
export * from './campaign-clock';
export * from './campaign-lifecycle.service';
export * from './campaign-writer';
export * from './campaigns.dto';
export * from './campaigns.module';
export * from './campaigns.service';
export * from './roll-forward';
