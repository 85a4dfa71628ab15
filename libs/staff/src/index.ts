export * from './staff.dto';
export * from './staff.module';
export * from './staff-auth.service';
