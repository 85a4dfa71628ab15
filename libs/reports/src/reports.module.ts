import { Module } from '@nestjs/common';
import { ReportFolder } from './report-folder';
import { ReportsController } from './reports.controller';
import { ReportsService } from './reports.service';

/** The API side: the report endpoints, read from the aggregates. */
@Module({
  controllers: [ReportsController],
  providers: [ReportsService],
})
export class ReportsModule {}

/** The worker side: keeping the aggregates. */
@Module({
  providers: [ReportFolder],
  exports: [ReportFolder],
})
export class ReportsWorkerModule {}
