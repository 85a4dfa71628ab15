import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAccess } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import {
  AuditChainDto,
  AuditPageDto,
  AuditQueryDto,
  RedemptionTrailPageDto,
  RedemptionTrailQueryDto,
} from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @StaffAccess([StaffRole.Auditor, StaffRole.CityAdmin], ErrorCode.ValidationFailed)
  @ApiOperation({
    summary: 'Every change: who, when, what before and after; filtered, newest first, paged by limit and offset',
  })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }

  @Get('head')
  @StaffAccess([StaffRole.Auditor, StaffRole.CityAdmin], ErrorCode.ValidationFailed)
  @ApiOperation({
    summary: 'The head of the tamper-evident audit chain and its newest anchor, to copy out of the system',
    description:
      'Each entry carries the hash of the one before it. Keep the head or an anchor (id and hash) outside Quan; `npm run audit:verify -- --anchor ID=HASH` later proves the log up to that entry unchanged.',
  })
  @ApiOkResponse({ type: AuditChainDto })
  head(): Promise<AuditChainDto> {
    return this.audit.chain();
  }

  @Get('redemptions')
  @StaffAccess([StaffRole.Auditor, StaffRole.CityAdmin], ErrorCode.ValidationFailed)
  @ApiOperation({
    summary: "The trail of redemptions: one merchant's business day, newest first, with who redeemed and who reversed",
    description:
      'Redemptions are their own record (the redemptions table, written once at the till; a reversal sets its columns once and is also an audit entry, redemption.reverse), so they are not copied into the audit log; this reads them like one.',
  })
  @ApiOkResponse({ type: RedemptionTrailPageDto })
  redemptions(@Query() query: RedemptionTrailQueryDto): Promise<RedemptionTrailPageDto> {
    return this.audit.redemptions(query);
  }
}
