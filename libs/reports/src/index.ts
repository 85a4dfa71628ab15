export * from './report-export';
export * from './report-folder';
export * from './reports.dto';
export * from './reports.module';
export * from './reports.service';
