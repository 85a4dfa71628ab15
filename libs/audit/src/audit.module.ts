import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { AuditService } from './audit.service';

/** The audit log, read by auditors and city admins (written by every feature through recordAudit). */
@Module({
  controllers: [AuditController],
  providers: [AuditService],
})
export class AuditModule {}
