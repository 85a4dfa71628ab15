import { Body, Controller, Get, HttpCode, Param, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BUREAU, CurrentStaff, MERCHANT_STAFF, OPERATORS, PublicAccess, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode, MerchantAction } from '@quan/domain';
import { Created, uuidOr } from '@quan/platform';
import { NewStaffCredentialsDto, StaffAccountChangesDto, StaffAccountDto } from '@quan/staff-accounts';
import {
  MerchantApplicationDto,
  MerchantApplicationResultDto,
  MerchantDto,
  MerchantFieldsDto,
  MerchantPageDto,
  MerchantQueryDto,
  ReasonDto,
} from './merchants.dto';
import { MerchantStaffService } from './merchant-staff.service';
import { MerchantsService } from './merchants.service';

const ID = uuidOr(ErrorCode.MerchantNotFound);
const ACCOUNT_ID = uuidOr(ErrorCode.StaffAccountNotFound);
const MERCHANT_ADMIN = [StaffRole.MerchantAdmin];
const STAFF_VIEWERS = [StaffRole.CityAdmin, StaffRole.CountyAdmin, StaffRole.Auditor, StaffRole.MerchantAdmin];
const REVIEW_ERRORS = [ErrorCode.MerchantNotFound, ErrorCode.MerchantInvalidTransition] as const;

@ApiTags('merchants')
@Controller('merchants')
export class MerchantsController {
  constructor(
    private readonly merchants: MerchantsService,
    private readonly staff: MerchantStaffService,
  ) {}

  @Post('applications')
  @PublicAccess(
    ErrorCode.ValidationFailed,
    ErrorCode.InvalidLicenceNo,
    ErrorCode.UnknownReference,
    ErrorCode.AlreadyExists,
  )
  @ApiOperation({
    summary:
      'Enrol: a merchant applies with its licence, category, county and bank account, and creates its admin login',
  })
  @Created(MerchantApplicationResultDto, (result) => `/merchants/${result.merchant.id}`)
  apply(@Body() body: MerchantApplicationDto): Promise<MerchantApplicationResultDto> {
    return this.merchants.apply(body);
  }

  @Get()
  @StaffAccess(BUREAU, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'List merchants (a county admin sees their county only)' })
  @ApiOkResponse({ type: MerchantPageDto })
  list(@CurrentStaff() principal: StaffPrincipal, @Query() query: MerchantQueryDto): Promise<MerchantPageDto> {
    return this.merchants.list(principal, query);
  }

  @Get(':id')
  @StaffAccess([...BUREAU, ...MERCHANT_STAFF], ErrorCode.MerchantNotFound)
  @ApiOperation({ summary: "A merchant within the caller's scope (merchant staff: their own)" })
  @ApiOkResponse({ type: MerchantDto })
  get(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<MerchantDto> {
    return this.merchants.get(principal, id);
  }

  @Put(':id/application')
  @StaffAccess(
    MERCHANT_ADMIN,
    ErrorCode.ValidationFailed,
    ...REVIEW_ERRORS,
    ErrorCode.InvalidLicenceNo,
    ErrorCode.UnknownReference,
    ErrorCode.AlreadyExists,
  )
  @ApiOperation({ summary: 'Correct a pending or rejected application and submit it for review again' })
  @ApiOkResponse({ type: MerchantDto })
  resubmit(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: MerchantFieldsDto,
  ): Promise<MerchantDto> {
    return this.merchants.resubmit(principal, id, body);
  }

  @Post(':id/approve')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...REVIEW_ERRORS)
  @ApiOperation({ summary: 'Approve a pending application' })
  @ApiOkResponse({ type: MerchantDto })
  approve(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<MerchantDto> {
    return this.merchants.review(principal, id, MerchantAction.Approve);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ErrorCode.ValidationFailed, ...REVIEW_ERRORS)
  @ApiOperation({ summary: 'Reject a pending application, with the reason the merchant will see' })
  @ApiOkResponse({ type: MerchantDto })
  reject(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: ReasonDto,
  ): Promise<MerchantDto> {
    return this.merchants.review(principal, id, MerchantAction.Reject, body.reason);
  }

  @Post(':id/suspend')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ErrorCode.ValidationFailed, ...REVIEW_ERRORS)
  @ApiOperation({ summary: 'Suspend an approved merchant, with a reason' })
  @ApiOkResponse({ type: MerchantDto })
  suspend(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: ReasonDto,
  ): Promise<MerchantDto> {
    return this.merchants.review(principal, id, MerchantAction.Suspend, body.reason);
  }

  @Post(':id/reinstate')
  @HttpCode(200)
  @StaffAccess(OPERATORS, ...REVIEW_ERRORS)
  @ApiOperation({ summary: 'Reinstate a suspended merchant' })
  @ApiOkResponse({ type: MerchantDto })
  reinstate(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<MerchantDto> {
    return this.merchants.review(principal, id, MerchantAction.Reinstate);
  }

  @Get(':id/staff')
  @StaffAccess(STAFF_VIEWERS, ErrorCode.MerchantNotFound)
  @ApiOperation({ summary: "The merchant's admins and cashiers" })
  @ApiOkResponse({ type: [StaffAccountDto] })
  listStaff(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<StaffAccountDto[]> {
    return this.staff.list(principal, id);
  }

  @Post(':id/cashiers')
  @StaffAccess(
    MERCHANT_ADMIN,
    ErrorCode.ValidationFailed,
    ErrorCode.MerchantNotFound,
    ErrorCode.MerchantNotApproved,
    ErrorCode.AlreadyExists,
  )
  @ApiOperation({ summary: 'Add a cashier to an approved merchant' })
  @Created(StaffAccountDto, (cashier, params) => `/merchants/${params.id}/cashiers/${cashier.id}`)
  createCashier(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: NewStaffCredentialsDto,
  ): Promise<StaffAccountDto> {
    return this.staff.createCashier(principal, id, body);
  }

  @Get(':id/cashiers/:accountId')
  @StaffAccess(STAFF_VIEWERS, ErrorCode.MerchantNotFound, ErrorCode.StaffAccountNotFound)
  @ApiOperation({ summary: 'One cashier of the merchant' })
  @ApiOkResponse({ type: StaffAccountDto })
  getCashier(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('accountId', ACCOUNT_ID) accountId: string,
  ): Promise<StaffAccountDto> {
    return this.staff.getCashier(principal, id, accountId);
  }

  @Patch(':id/cashiers/:accountId')
  @StaffAccess(MERCHANT_ADMIN, ErrorCode.ValidationFailed, ErrorCode.MerchantNotFound, ErrorCode.StaffAccountNotFound)
  @ApiOperation({ summary: 'Rename, disable or enable, or reset the password of a cashier' })
  @ApiOkResponse({ type: StaffAccountDto })
  updateCashier(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Param('accountId', ACCOUNT_ID) accountId: string,
    @Body() body: StaffAccountChangesDto,
  ): Promise<StaffAccountDto> {
    return this.staff.updateCashier(principal, id, accountId, body);
  }
}
