import { Controller, Get, Header, Param } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { uuidOr } from '@quan/platform';
import { CampaignMonitorDto } from './monitor.dto';
import { RoundMonitor } from './round-monitor';

/** Who watches a round open: operators (a county admin their county's and the city-wide campaigns) and auditors. */
const WATCHERS: readonly StaffRole[] = [StaffRole.CityAdmin, StaffRole.CountyAdmin, StaffRole.Auditor];

@ApiTags('claims')
@Controller('campaigns')
export class MonitorController {
  constructor(private readonly monitor: RoundMonitor) {}

  @Get(':id/monitor')
  @StaffAccess(WATCHERS, ErrorCode.CampaignNotFound, ErrorCode.Unavailable)
  // Each answer is built once a second per process anyway; the browser need not ask more often.
  @Header('Cache-Control', 'private, max-age=1')
  @ApiOperation({
    summary:
      'Live round monitor: per round, stock left per offer, claims per second, time to sell-out and refusals by code ' +
      '(poll every 1–2 s)',
  })
  @ApiOkResponse({ type: CampaignMonitorDto, description: 'The same answer for a second, whoever asks' })
  campaign(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', uuidOr(ErrorCode.CampaignNotFound)) id: string,
  ): Promise<CampaignMonitorDto> {
    return this.monitor.campaign(principal, id);
  }
}
