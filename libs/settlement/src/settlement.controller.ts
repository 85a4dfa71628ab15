import { Body, Controller, Get, Header, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { Created, uuidOr } from '@quan/platform';
import { PayoutsService } from './payouts.service';
import { Reconciliation } from './reconciliation';
import {
  NewPayoutBatchDto,
  NewRunDto,
  PayoutBatchDto,
  PayoutBatchPageDto,
  PayoutBatchQueryDto,
  PayoutOutcomeDto,
  ReconciliationReportDto,
  RunDto,
  StatementDetailDto,
  StatementDto,
  StatementPageDto,
  StatementQueryDto,
} from './settlement.dto';
import { SettlementRuns } from './settlement-runs';
import { StatementsService } from './statements.service';

const STATEMENT_ID = uuidOr(ErrorCode.StatementNotFound);
const BATCH_ID = uuidOr(ErrorCode.PayoutBatchNotFound);
const TRANSFER_ID = uuidOr(ErrorCode.PayoutTransferNotFound);
const RUN_ID = uuidOr(ErrorCode.SettlementRunNotFound);
const FINANCE = [StaffRole.Finance];
const FINANCE_AND_AUDITOR = [StaffRole.Finance, StaffRole.Auditor];
const SETTLEMENT_READERS = [StaffRole.Finance, StaffRole.Auditor, StaffRole.MerchantAdmin];
const RUNNERS = [StaffRole.CityAdmin, StaffRole.Finance];
const RUN_READERS = [StaffRole.CityAdmin, StaffRole.Finance, StaffRole.Auditor];

@ApiTags('settlement')
@Controller('settlement')
export class SettlementController {
  constructor(
    private readonly statements: StatementsService,
    private readonly payouts: PayoutsService,
    private readonly runs: SettlementRuns,
  ) {}

  @Get('statements')
  @StaffAccess(SETTLEMENT_READERS, ErrorCode.ValidationFailed)
  @ApiOperation({ summary: 'Settlement statements, per merchant and business day (a merchant admin sees its own)' })
  @ApiOkResponse({ type: StatementPageDto })
  list(@CurrentStaff() principal: StaffPrincipal, @Query() query: StatementQueryDto): Promise<StatementPageDto> {
    return this.statements.list(principal, query);
  }

  @Get('statements/:id')
  @StaffAccess(SETTLEMENT_READERS, ErrorCode.StatementNotFound)
  @ApiOperation({ summary: 'A statement with its lines: one per redemption, one adjustment per later reversal' })
  @ApiOkResponse({ type: StatementDetailDto })
  get(@CurrentStaff() principal: StaffPrincipal, @Param('id', STATEMENT_ID) id: string): Promise<StatementDetailDto> {
    return this.statements.get(principal, id);
  }

  @Post('statements/:id/submit')
  @HttpCode(200)
  @StaffAccess(FINANCE, ErrorCode.StatementNotFound, ErrorCode.StatementInvalidTransition)
  @ApiOperation({ summary: 'Maker: submit an open statement of a settled business day for approval' })
  @ApiOkResponse({ type: StatementDto })
  submit(@CurrentStaff() principal: StaffPrincipal, @Param('id', STATEMENT_ID) id: string): Promise<StatementDto> {
    return this.statements.submit(principal, id);
  }

  @Post('statements/:id/approve')
  @HttpCode(200)
  @StaffAccess(
    FINANCE,
    ErrorCode.StatementNotFound,
    ErrorCode.StatementInvalidTransition,
    ErrorCode.ApproverIsMaker,
    ErrorCode.SettlementHeld,
  )
  @ApiOperation({
    summary:
      'Checker: approve a submitted statement (not its submitter); approved statements never change; ' +
      'refused while a high-severity risk flag holds the merchant',
  })
  @ApiOkResponse({ type: StatementDto })
  approve(@CurrentStaff() principal: StaffPrincipal, @Param('id', STATEMENT_ID) id: string): Promise<StatementDto> {
    return this.statements.approve(principal, id);
  }

  @Post('payout-batches')
  @StaffAccess(FINANCE, ErrorCode.ValidationFailed, ErrorCode.NothingToPay)
  @ApiOperation({
    summary:
      'A new payout batch: one transfer per merchant owed money by approved statements no pending or paid transfer covers (zero and negative ones netted in)',
  })
  @Created(PayoutBatchDto, (batch) => `/settlement/payout-batches/${batch.id}`)
  createBatch(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewPayoutBatchDto): Promise<PayoutBatchDto> {
    return this.payouts.create(principal, body);
  }

  @Get('payout-batches')
  @StaffAccess(SETTLEMENT_READERS, ErrorCode.ValidationFailed)
  @ApiOperation({
    summary:
      'Payout batches, newest first, by the business day they were made on and their status (a merchant admin sees those paying it, with its own transfer)',
  })
  @ApiOkResponse({ type: PayoutBatchPageDto })
  listBatches(
    @CurrentStaff() principal: StaffPrincipal,
    @Query() query: PayoutBatchQueryDto,
  ): Promise<PayoutBatchPageDto> {
    return this.payouts.list(principal, query);
  }

  @Get('payout-batches/:id')
  @StaffAccess(SETTLEMENT_READERS, ErrorCode.PayoutBatchNotFound)
  @ApiOperation({ summary: 'A payout batch and the state of each transfer (a merchant admin sees its own transfer)' })
  @ApiOkResponse({ type: PayoutBatchDto })
  getBatch(@CurrentStaff() principal: StaffPrincipal, @Param('id', BATCH_ID) id: string): Promise<PayoutBatchDto> {
    return this.payouts.get(principal, id);
  }

  @Get('payout-batches/:id/csv')
  @StaffAccess(FINANCE_AND_AUDITOR, ErrorCode.PayoutBatchNotFound)
  @Header('content-type', 'text/csv; charset=utf-8')
  @ApiProduces('text/csv')
  @ApiOperation({
    summary:
      'The payout file for the bank: merchant, licence number, bank account (whole for finance, masked for an auditor), amount in fen, reference',
  })
  @ApiOkResponse({ schema: { type: 'string' } })
  csv(@CurrentStaff() principal: StaffPrincipal, @Param('id', BATCH_ID) id: string): Promise<string> {
    return this.payouts.csv(principal, id);
  }

  @Post('payout-batches/:id/transfers/:transferId/outcome')
  @HttpCode(200)
  @StaffAccess(
    FINANCE,
    ErrorCode.ValidationFailed,
    ErrorCode.PayoutBatchNotFound,
    ErrorCode.PayoutTransferNotFound,
    ErrorCode.PayoutAlreadyMarked,
  )
  @ApiOperation({
    summary:
      'Mark one transfer of a batch paid or failed, as the bank reported it (the statements of a failed one go into the next batch)',
  })
  @ApiOkResponse({ type: PayoutBatchDto })
  mark(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('id', BATCH_ID) id: string,
    @Param('transferId', TRANSFER_ID) transferId: string,
    @Body() body: PayoutOutcomeDto,
  ): Promise<PayoutBatchDto> {
    return this.payouts.mark(principal, id, transferId, body);
  }

  @Post('runs')
  @HttpCode(202)
  @StaffAccess(RUNNERS, ErrorCode.ValidationFailed, ErrorCode.BusinessDayNotOver)
  @ApiOperation({
    summary:
      'Run the settlement of a past business day, or the reconciliation, now: executed by the worker; poll GET /settlement/runs/{id}',
    description:
      'While a run of the same day (or a reconciliation) is queued or running, this answers that run and queues nothing. A later run of a settled day adds only what is missing, usually nothing.',
  })
  @ApiAcceptedResponse({ type: RunDto })
  requestRun(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewRunDto): Promise<RunDto> {
    return this.runs.request(principal, body);
  }

  @Get('runs/:id')
  @StaffAccess(RUN_READERS, ErrorCode.SettlementRunNotFound)
  @ApiOperation({
    summary: 'A run asked for through POST /settlement/runs: its state and, once it succeeded, what it did',
  })
  @ApiOkResponse({ type: RunDto })
  getRun(@Param('id', RUN_ID) id: string): Promise<RunDto> {
    return this.runs.get(id);
  }
}

@ApiTags('settlement')
@Controller('admin/reconciliation')
export class ReconciliationController {
  constructor(private readonly reconciliation: Reconciliation) {}

  @Get()
  @StaffAccess([StaffRole.CityAdmin, StaffRole.Finance, StaffRole.Auditor], ErrorCode.ReconciliationNotRun)
  @ApiOperation({ summary: 'The latest reconciliation report: the figures compared and every difference found' })
  @ApiOkResponse({ type: ReconciliationReportDto })
  async latest(): Promise<ReconciliationReportDto> {
    const report = await this.reconciliation.latest();
    return {
      id: report.id,
      ranAt: report.ranAt.toISOString(),
      ok: report.ok,
      figures: report.figures,
      differences: report.differences,
    };
  }
}
