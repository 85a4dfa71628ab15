import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { StaffAccess } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { AuditPageDto, AuditQueryDto } from './audit.dto';
import { AuditService } from './audit.service';

@ApiTags('audit')
@Controller('audit-log')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @StaffAccess([StaffRole.Auditor, StaffRole.CityAdmin], ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'Every change: who, when, what before and after; filtered, newest first, paged by limit and offset' })
  @ApiOkResponse({ type: AuditPageDto })
  list(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.audit.list(query);
  }
}
