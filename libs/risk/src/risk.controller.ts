import { Body, Controller, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { uuidOr } from '@quan/platform';
import {
  ConfirmFlagDto,
  FlagReasonDto,
  MerchantRiskSummaryDto,
  RiskFlagDetailDto,
  RiskFlagPageDto,
  RiskFlagQueryDto,
  RiskRuleChangeDto,
  RiskRuleDto,
} from './risk.dto';
import { RiskService } from './risk.service';

/** Who reads flags: the city, a county admin their county's, finance (whose approvals they hold) and auditors. */
const READERS = [StaffRole.CityAdmin, StaffRole.CountyAdmin, StaffRole.Finance, StaffRole.Auditor] as const;
/** Who deals with flags: the city's and the counties' administrators. */
const OPERATORS = [StaffRole.CityAdmin, StaffRole.CountyAdmin] as const;
const FLAG_ID = uuidOr(ErrorCode.RiskFlagNotFound);
const MERCHANT_ID = uuidOr(ErrorCode.MerchantNotFound);
const STEP = [ErrorCode.RiskFlagNotFound, ErrorCode.RiskFlagInvalidTransition] as const;

@ApiTags('risk')
@Controller('risk')
export class RiskController {
  constructor(private readonly risk: RiskService) {}

  @Get('flags')
  @StaffAccess(READERS, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'Risk flags, open ones and the most severe first; a county admin sees their county only' })
  @ApiOkResponse({ type: RiskFlagPageDto })
  list(@CurrentStaff() principal: StaffPrincipal, @Query() query: RiskFlagQueryDto): Promise<RiskFlagPageDto> {
    return this.risk.list(principal, query);
  }

  @Get('flags/:id')
  @StaffAccess(READERS, ErrorCode.RiskFlagNotFound)
  @ApiOperation({
    summary: 'A flag with its evidence: the figures against the baseline, the redemptions or identities',
  })
  @ApiOkResponse({ type: RiskFlagDetailDto })
  get(@CurrentStaff() principal: StaffPrincipal, @Param('id', FLAG_ID) id: string): Promise<RiskFlagDetailDto> {
    return this.risk.get(principal, id);
  }

  @Post('flags/:id/propose-clear')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP)
  @ApiOperation({ summary: 'Maker: propose to clear an open flag, with the reason' })
  @ApiOkResponse({ type: RiskFlagDetailDto })
  proposeClear(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', FLAG_ID) id: string,
    @Body() body: FlagReasonDto,
  ): Promise<RiskFlagDetailDto> {
    return this.risk.proposeClear(principal, id, body.reason);
  }

  @Post('flags/:id/clear')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP, ErrorCode.ApproverIsMaker)
  @ApiOperation({ summary: 'Checker: clear a flag proposed for clearing (not by its proposer); its hold ends' })
  @ApiOkResponse({ type: RiskFlagDetailDto })
  clear(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', FLAG_ID) id: string,
    @Body() body: FlagReasonDto,
  ): Promise<RiskFlagDetailDto> {
    return this.risk.clear(principal, id, body.reason);
  }

  @Post('flags/:id/confirm')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP)
  @ApiOperation({
    summary:
      "Confirm the abuse: the subsidy of the merchant's statements not yet approved is recorded as not payable; " +
      'optionally suspend the merchant',
  })
  @ApiOkResponse({ type: RiskFlagDetailDto })
  confirm(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', FLAG_ID) id: string,
    @Body() body: ConfirmFlagDto,
  ): Promise<RiskFlagDetailDto> {
    return this.risk.confirm(principal, id, body);
  }

  @Get('merchants/:id')
  @StaffAccess(READERS, ErrorCode.MerchantNotFound)
  @ApiOperation({
    summary:
      "A merchant's risk summary: its flags, whether its statements are held, and its order amounts against the city's",
  })
  @ApiOkResponse({ type: MerchantRiskSummaryDto })
  merchant(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', MERCHANT_ID) id: string,
  ): Promise<MerchantRiskSummaryDto> {
    return this.risk.merchantSummary(principal, id);
  }

  @Get('rules')
  @StaffAccess(READERS)
  @ApiOperation({ summary: 'The current version of each rule and its parameters' })
  @ApiOkResponse({ type: [RiskRuleDto] })
  rules(): Promise<RiskRuleDto[]> {
    return this.risk.rules();
  }

  @Put('rules/:code')
  @StaffAccess([StaffRole.CityAdmin], ErrorCode.RiskRuleNotFound, ErrorCode.RiskRuleParametersInvalid)
  @ApiOperation({ summary: "A new version of a rule's parameters (all of them), audited; later scoring uses it" })
  @ApiOkResponse({ type: RiskRuleDto })
  changeRule(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('code') code: string,
    @Body() body: RiskRuleChangeDto,
  ): Promise<RiskRuleDto> {
    return this.risk.changeRule(principal, code, body);
  }
}
