import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AGENTS, CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { Created, uuidOr } from '@quan/platform';
import {
  ActingSessionDto,
  AssistedResidentDto,
  AssistedResidentPageDto,
  AssistedResidentQueryDto,
  NewAssistedResidentDto,
} from './assisted.dto';
import { AssistedResidentsService } from './assisted-residents.service';

/** Who reads the residents agents serve: agents and county admins their county's, the city and auditors all. */
const READERS = [...AGENTS, StaffRole.CountyAdmin, StaffRole.CityAdmin, StaffRole.Auditor];
const ID = uuidOr(ErrorCode.AssistedResidentNotFound);

@ApiTags('assisted claims')
@Controller('assisted-residents')
export class AssistedResidentsController {
  constructor(private readonly assisted: AssistedResidentsService) {}

  @Post()
  @StaffAccess(
    AGENTS,
    ErrorCode.ValidationFailed,
    ErrorCode.OutOfScope,
    ErrorCode.InvalidIdNumber,
    ErrorCode.IdentityNotConfirmed,
    ErrorCode.IdentityAlreadyVerified,
    ErrorCode.IdentityPhonesExceeded,
    ErrorCode.RateLimited,
    ErrorCode.Unavailable,
  )
  @ApiOperation({
    summary:
      'Register a resident without a smartphone from their ID card, with their consent (again: records a new consent)',
  })
  @Created(AssistedResidentDto, (resident) => `/assisted-residents/${resident.residentId}`)
  register(@CurrentStaff() agent: StaffPrincipal, @Body() body: NewAssistedResidentDto): Promise<AssistedResidentDto> {
    return this.assisted.register(agent, body);
  }

  @Get()
  @StaffAccess(READERS, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'Residents registered by community agents, newest first, with who last served them' })
  @ApiOkResponse({ type: AssistedResidentPageDto })
  list(
    @CurrentStaff() principal: StaffPrincipal,
    @Query() query: AssistedResidentQueryDto,
  ): Promise<AssistedResidentPageDto> {
    return this.assisted.list(principal, query);
  }

  @Get(':id')
  @StaffAccess(READERS, ErrorCode.AssistedResidentNotFound)
  @ApiOperation({ summary: 'A resident registered by a community agent' })
  @ApiOkResponse({ type: AssistedResidentDto })
  get(@CurrentStaff() principal: StaffPrincipal, @Param('id', ID) id: string): Promise<AssistedResidentDto> {
    return this.assisted.get(principal, id);
  }

  @Post(':id/sessions')
  @StaffAccess(AGENTS, ErrorCode.AssistedResidentNotFound, ErrorCode.AgentQuotaExceeded)
  @ApiOperation({
    summary:
      "Act for a resident: a short-lived resident access token naming the agent (RFC 8693 `act`), for the resident endpoints; counts against the agent's daily quota",
  })
  @HttpCode(200)
  @ApiOkResponse({ type: ActingSessionDto })
  openSession(@CurrentStaff() agent: StaffPrincipal, @Param('id', ID) id: string): Promise<ActingSessionDto> {
    return this.assisted.openSession(agent, id);
  }
}
