import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { Created, uuidOr } from '@quan/platform';
import { StaffAccountChangesDto, StaffAccountDto } from '@quan/staff-accounts';
import { NewStaffAccountDto, StaffAccountPageDto, StaffAccountQueryDto } from './staff.dto';
import { StaffAccountsService } from './staff-accounts.service';

const READERS = [StaffRole.CityAdmin, StaffRole.Auditor];
const WRITERS = [StaffRole.CityAdmin];
/** County admins may create their county's community agents (and nothing else). */
const CREATORS = [StaffRole.CityAdmin, StaffRole.CountyAdmin];
const ID = uuidOr(ErrorCode.StaffAccountNotFound);

@ApiTags('staff accounts')
@Controller('staff-accounts')
export class StaffAccountsController {
  constructor(private readonly accounts: StaffAccountsService) {}

  @Get()
  @StaffAccess(READERS, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'List staff accounts' })
  @ApiOkResponse({ type: StaffAccountPageDto })
  list(@Query() query: StaffAccountQueryDto): Promise<StaffAccountPageDto> {
    return this.accounts.list(query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'A staff account' })
  @StaffAccess(READERS, ErrorCode.StaffAccountNotFound)
  @ApiOkResponse({ type: StaffAccountDto })
  get(@Param('id', ID) id: string): Promise<StaffAccountDto> {
    return this.accounts.get(id);
  }

  @Post()
  @StaffAccess(
    CREATORS,
    ErrorCode.ValidationFailed,
    ErrorCode.RoleBindingInvalid,
    ErrorCode.UnknownReference,
    ErrorCode.AlreadyExists,
  )
  @ApiOperation({
    summary:
      "Create a staff account: a city admin any role, a county admin only a community agent of the admin's county",
  })
  @Created(StaffAccountDto, (account) => `/staff-accounts/${account.id}`)
  create(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewStaffAccountDto): Promise<StaffAccountDto> {
    return this.accounts.create(principal, body);
  }

  @Patch(':id')
  @StaffAccess(WRITERS, ErrorCode.ValidationFailed, ErrorCode.StaffAccountNotFound)
  @ApiOperation({ summary: 'Rename, disable or enable, or reset the password of an account' })
  @ApiOkResponse({ type: StaffAccountDto })
  update(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', ID) id: string,
    @Body() body: StaffAccountChangesDto,
  ): Promise<StaffAccountDto> {
    return this.accounts.update(principal, id, body);
  }
}
