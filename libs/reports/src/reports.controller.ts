import { Controller, Get, Query, Res, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { FastifyReply } from 'fastify';
import { CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { exportLeverage } from './report-export';
import {
  LeverageExportQueryDto,
  LeverageQueryDto,
  LeverageReportDto,
  ReportOverviewDto,
  ReportQueryDto,
} from './reports.dto';
import { ReportsService } from './reports.service';

/** The bureau reads reports: city admins the whole city, county admins their county, finance and auditors read-only. */
const REPORT_READERS = [StaffRole.CityAdmin, StaffRole.CountyAdmin, StaffRole.Finance, StaffRole.Auditor] as const;

@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('overview')
  @StaffAccess(REPORT_READERS, ErrorCode.ValidationFailed)
  @ApiOperation({
    summary:
      "The dashboard: today's figures, budget used by each running campaign, " +
      'and claims and redemptions per business day',
    description:
      'Read from aggregates the worker keeps from the outbox: a redemption shows within seconds, ' +
      'a claim within about a minute (docs/reports.md). A county admin sees their county only.',
  })
  @ApiOkResponse({ type: ReportOverviewDto })
  overview(@CurrentStaff() principal: StaffPrincipal, @Query() query: ReportQueryDto): Promise<ReportOverviewDto> {
    return this.reports.overview(principal, query);
  }

  @Get('leverage')
  @StaffAccess(REPORT_READERS, ErrorCode.ValidationFailed)
  @ApiOperation({
    summary:
      '拉动比 (leverage) by business day, county, category or merchant: ' +
      'order totals ÷ subsidy of redemptions not reversed',
  })
  @ApiOkResponse({ type: LeverageReportDto })
  leverage(@CurrentStaff() principal: StaffPrincipal, @Query() query: LeverageQueryDto): Promise<LeverageReportDto> {
    return this.reports.leverage(principal, query);
  }

  @Get('leverage/export')
  @StaffAccess(REPORT_READERS, ErrorCode.ValidationFailed)
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  @ApiOperation({
    summary:
      'The leverage report as a CSV or XLSX attachment: header row in Chinese, ' +
      'amounts in yuan with two decimals, a total row',
  })
  @ApiOkResponse({ schema: { type: 'string', format: 'binary' } })
  async export(
    @CurrentStaff() principal: StaffPrincipal,
    @Query() query: LeverageExportQueryDto,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<StreamableFile> {
    const { format, ...filters } = query;
    const file = await exportLeverage(await this.reports.leverage(principal, filters), format);
    reply
      .header('content-type', file.contentType)
      .header('content-disposition', `attachment; filename="${file.fileName}"`);
    return new StreamableFile(file.body);
  }
}
