import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUREAU, CurrentStaff, OPERATORS, StaffAccess, StaffPrincipal } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { Created, uuidOr } from '@quan/platform';
import { CampaignLifecycleService } from './campaign-lifecycle.service';
import {
  CampaignChangesDto,
  CampaignDto,
  CampaignPageDto,
  CampaignQueryDto,
  ExtendCampaignDto,
  ExtendRoundDto,
  NewCampaignDto,
  OfferStockDto,
  RejectCampaignDto,
  RoundDto,
  RoundInputDto,
  VoucherTypeDto,
  VoucherTypeInputDto,
} from './campaigns.dto';
import { CampaignsService } from './campaigns.service';

const ID = uuidOr(ErrorCode.CampaignNotFound);
const TYPE_ID = uuidOr(ErrorCode.VoucherTypeNotFound);
const ROUND_ID = uuidOr(ErrorCode.RoundNotFound);
const OFFER_ID = uuidOr(ErrorCode.OfferNotFound);

/** Every configuration rule's 400 code (libs/domain campaign-rules.ts). */
const RULES = [
  ErrorCode.ValidationFailed,
  ErrorCode.UnknownReference,
  ErrorCode.CampaignWindowInvalid,
  ErrorCode.LimitsInconsistent,
  ErrorCode.EligibilityOutsideScope,
  ErrorCode.EligibilityConflict,
  ErrorCode.DiscountRuleInvalid,
  ErrorCode.ThresholdNotAboveDiscount,
  ErrorCode.PercentOffOutOfRange,
  ErrorCode.PercentCapRequired,
  ErrorCode.SubsidyShareInvalid,
  ErrorCode.VoucherCategoryNotEligible,
  ErrorCode.ValidityInvalid,
  ErrorCode.ValidityOutsideCampaign,
  ErrorCode.RoundWindowInvalid,
  ErrorCode.RoundOutsideCampaign,
  ErrorCode.RoundsOverlap,
  ErrorCode.LotteryDrawInvalid,
  ErrorCode.OfferInvalid,
  ErrorCode.RollForwardInvalid,
  ErrorCode.BudgetExceeded,
];
/** A draft change: the campaign must be visible, the caller's to change, and a draft. */
const EDIT = [...RULES, ErrorCode.CampaignNotFound, ErrorCode.OutOfScope, ErrorCode.CampaignNotEditable];
/** A lifecycle step. */
const STEP = [ErrorCode.CampaignNotFound, ErrorCode.OutOfScope, ErrorCode.CampaignInvalidTransition];
/** A safe change of a published or running campaign, whose Redis counters are then prepared (503 if Redis fails). */
const SAFE = [
  ...RULES,
  ErrorCode.CampaignNotFound,
  ErrorCode.OutOfScope,
  ErrorCode.CampaignNotLive,
  ErrorCode.UnsafeChange,
  ErrorCode.Unavailable,
];

@ApiTags('campaigns')
@Controller('campaigns')
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignsService,
    private readonly lifecycle: CampaignLifecycleService,
  ) {}

  @Get()
  @StaffAccess(BUREAU, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: "List campaigns (a county admin sees their county's and, read-only, the city-wide ones)" })
  @ApiOkResponse({ type: CampaignPageDto })
  list(@CurrentStaff() principal: StaffPrincipal, @Query() query: CampaignQueryDto): Promise<CampaignPageDto> {
    return this.campaigns.list(principal, query);
  }

  @Post()
  @StaffAccess(OPERATORS, ...RULES, ErrorCode.OutOfScope, ErrorCode.AlreadyExists)
  @ApiOperation({ summary: 'Draft a campaign: budget, scope, window, limits, merchant eligibility' })
  @Created(CampaignDto, (campaign) => `/campaigns/${campaign.id}`)
  create(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewCampaignDto): Promise<CampaignDto> {
    return this.campaigns.create(principal, body);
  }

  @Get(':id')
  @StaffAccess(BUREAU, ErrorCode.CampaignNotFound)
  @ApiOperation({ summary: 'A campaign with its voucher types, rounds, offers and worst-case subsidy' })
  @ApiOkResponse({ type: CampaignDto })
  get(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.campaigns.get(principal, id);
  }

  @Delete(':id')
  @HttpCode(204)
  @StaffAccess(OPERATORS, ErrorCode.CampaignNotFound, ErrorCode.OutOfScope, ErrorCode.CampaignNotDeletable)
  @ApiOperation({
    summary: 'Delete a draft that was never submitted (its code is free again); a draft sent back by a rejection stays',
  })
  @ApiNoContentResponse({ description: 'Deleted; the audit log keeps the whole campaign' })
  remove(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<void> {
    return this.campaigns.remove(principal, id);
  }

  @Patch(':id')
  @StaffAccess(OPERATORS, ...EDIT)
  @ApiOperation({ summary: "Change a draft's fields (limits and eligibility are replaced whole)" })
  @ApiOkResponse({ type: CampaignDto })
  update(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: CampaignChangesDto,
  ): Promise<CampaignDto> {
    return this.campaigns.update(principal, id, body);
  }

  @Post(':id/voucher-types')
  @StaffAccess(OPERATORS, ...EDIT)
  @ApiOperation({ summary: 'Add a voucher type (满减, 直减 or 折扣) to a draft' })
  @Created(VoucherTypeDto, (type, params) => `/campaigns/${params.id}/voucher-types/${type.id}`)
  addVoucherType(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: VoucherTypeInputDto,
  ): Promise<VoucherTypeDto> {
    return this.campaigns.addVoucherType(principal, id, body);
  }

  @Get(':id/voucher-types/:typeId')
  @StaffAccess(BUREAU, ErrorCode.CampaignNotFound, ErrorCode.VoucherTypeNotFound)
  @ApiOperation({ summary: 'A voucher type of a campaign' })
  @ApiOkResponse({ type: VoucherTypeDto })
  getVoucherType(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('typeId', TYPE_ID) typeId: string,
  ): Promise<VoucherTypeDto> {
    return this.campaigns.voucherType(principal, id, typeId);
  }

  @Put(':id/voucher-types/:typeId')
  @StaffAccess(OPERATORS, ...EDIT, ErrorCode.VoucherTypeNotFound)
  @ApiOperation({ summary: 'Replace a voucher type of a draft' })
  @ApiOkResponse({ type: VoucherTypeDto })
  replaceVoucherType(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('typeId', TYPE_ID) typeId: string,
    @Body() body: VoucherTypeInputDto,
  ): Promise<VoucherTypeDto> {
    return this.campaigns.replaceVoucherType(principal, id, typeId, body);
  }

  @Delete(':id/voucher-types/:typeId')
  @StaffAccess(OPERATORS, ...EDIT, ErrorCode.VoucherTypeNotFound, ErrorCode.Conflict)
  @ApiOperation({ summary: 'Remove a voucher type no offer uses from a draft' })
  @ApiOkResponse({ type: CampaignDto })
  deleteVoucherType(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('typeId', TYPE_ID) typeId: string,
  ): Promise<CampaignDto> {
    return this.campaigns.deleteVoucherType(principal, id, typeId);
  }

  @Post(':id/rounds')
  @StaffAccess(OPERATORS, ...EDIT)
  @ApiOperation({ summary: 'Add a round (first-come or lottery) with its offers and their stock to a draft' })
  @Created(RoundDto, (round, params) => `/campaigns/${params.id}/rounds/${round.id}`)
  addRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: RoundInputDto,
  ): Promise<RoundDto> {
    return this.campaigns.addRound(principal, id, body);
  }

  @Get(':id/rounds/:roundId')
  @StaffAccess(BUREAU, ErrorCode.CampaignNotFound, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: 'A round of a campaign with its offers' })
  @ApiOkResponse({ type: RoundDto })
  getRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
  ): Promise<RoundDto> {
    return this.campaigns.round(principal, id, roundId);
  }

  @Put(':id/rounds/:roundId')
  @StaffAccess(OPERATORS, ...EDIT, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: 'Replace a round of a draft, offers included' })
  @ApiOkResponse({ type: RoundDto })
  replaceRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
    @Body() body: RoundInputDto,
  ): Promise<RoundDto> {
    return this.campaigns.replaceRound(principal, id, roundId, body);
  }

  @Delete(':id/rounds/:roundId')
  @StaffAccess(OPERATORS, ...EDIT, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: 'Remove a round from a draft' })
  @ApiOkResponse({ type: CampaignDto })
  deleteRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
  ): Promise<CampaignDto> {
    return this.campaigns.deleteRound(principal, id, roundId);
  }

  @Post(':id/submit')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP, ...RULES, ErrorCode.CampaignIncomplete)
  @ApiOperation({ summary: 'Submit a complete draft for approval' })
  @ApiOkResponse({ type: CampaignDto })
  submit(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.submit(principal, id);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP, ...RULES, ErrorCode.ApproverIsMaker, ErrorCode.Unavailable)
  @ApiOperation({
    summary: 'Approve and publish (maker-checker: not by anyone who made or changed it); prepares the round counters',
  })
  @ApiOkResponse({ type: CampaignDto })
  approve(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.approve(principal, id);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ErrorCode.ValidationFailed, ...STEP)
  @ApiOperation({ summary: 'Send a pending campaign back to draft with a reason' })
  @ApiOkResponse({ type: CampaignDto })
  reject(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: RejectCampaignDto,
  ): Promise<CampaignDto> {
    return this.lifecycle.reject(principal, id, body.reason);
  }

  @Post(':id/archive')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...STEP)
  @ApiOperation({ summary: 'Archive an ended campaign' })
  @ApiOkResponse({ type: CampaignDto })
  archive(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.archive(principal, id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE)
  @ApiOperation({ summary: 'Pause every round of a published or running campaign' })
  @ApiOkResponse({ type: CampaignDto })
  pause(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.setCampaignPaused(principal, id, true);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE)
  @ApiOperation({ summary: 'Resume every round of a published or running campaign' })
  @ApiOkResponse({ type: CampaignDto })
  resume(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.setCampaignPaused(principal, id, false);
  }

  @Post(':id/extend')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE)
  @ApiOperation({ summary: 'Move the end of a published or running campaign later' })
  @ApiOkResponse({ type: CampaignDto })
  extend(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: ExtendCampaignDto,
  ): Promise<CampaignDto> {
    return this.lifecycle.extend(principal, id, body);
  }

  @Post(':id/rounds/:roundId/pause')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: 'Pause one round' })
  @ApiOkResponse({ type: CampaignDto })
  pauseRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
  ): Promise<CampaignDto> {
    return this.lifecycle.setRoundPaused(principal, id, roundId, true);
  }

  @Post(':id/rounds/:roundId/resume')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: 'Resume one round' })
  @ApiOkResponse({ type: CampaignDto })
  resumeRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
  ): Promise<CampaignDto> {
    return this.lifecycle.setRoundPaused(principal, id, roundId, false);
  }

  @Post(':id/rounds/:roundId/extend')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE, ErrorCode.RoundNotFound)
  @ApiOperation({ summary: "Move the close (and a lottery's draw) of a round later" })
  @ApiOkResponse({ type: CampaignDto })
  extendRound(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
    @Body() body: ExtendRoundDto,
  ): Promise<CampaignDto> {
    return this.lifecycle.extendRound(principal, id, roundId, body);
  }

  @Put(':id/rounds/:roundId/offers/:offerId/stock')
  @StaffAccess(OPERATORS, ...SAFE, ErrorCode.RoundNotFound, ErrorCode.OfferNotFound)
  @ApiOperation({ summary: 'Raise the stock of an offer (idempotent), within the budget' })
  @ApiOkResponse({ type: CampaignDto })
  setOfferStock(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('roundId', ROUND_ID) roundId: string,
    @Param('offerId', OFFER_ID) offerId: string,
    @Body() body: OfferStockDto,
  ): Promise<CampaignDto> {
    return this.lifecycle.setOfferStock(principal, id, roundId, offerId, body);
  }

  @Post(':id/counters')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...SAFE)
  @ApiOperation({ summary: 'Prepare the Redis round counters again (idempotent), e.g. after a 503 from a change' })
  @ApiOkResponse({ type: CampaignDto })
  prepareCounters(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<CampaignDto> {
    return this.lifecycle.prepareCounters(principal, id);
  }
}
