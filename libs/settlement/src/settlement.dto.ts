import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsEnum, IsIn, IsOptional, IsUUID, ValidateBy } from 'class-validator';
import { Fen } from '@quan/domain';
import { PayoutStatus, RunKind, RunStatus, SettlementLineKind, StatementStatus } from '@quan/data';
import {
  ApiBusinessDay,
  ApiDateTime,
  ApiFen,
  ApiInteger,
  IsBusinessDay,
  isBusinessDay,
  IsOmittable,
  PageQueryDto,
} from '@quan/platform';

/** The day of a run: required (YYYY-MM-DD) for a settlement, absent for a reconciliation. */
function IsRunDay(): PropertyDecorator {
  return ValidateBy({
    name: 'isRunDay',
    validator: {
      validate: (value, args) =>
        (args?.object as NewRunDto).kind === RunKind.Reconciliation ? value === undefined : isBusinessDay(value),
      defaultMessage: (args) =>
        (args?.object as NewRunDto).kind === RunKind.Reconciliation
          ? 'businessDay must be left out of a reconciliation'
          : 'businessDay of a settlement must be a day written YYYY-MM-DD',
    },
  });
}

/** What a batch as a whole waits for: `pending` while any of its transfers awaits the bank's outcome. */
export enum PayoutBatchStatus {
  Pending = 'pending',
  Completed = 'completed',
}

export class StatementPayoutDto {
  @ApiProperty({ format: 'uuid' })
  batchId!: string;

  @ApiProperty({ format: 'uuid' })
  transferId!: string;

  @ApiProperty({ enum: PayoutStatus, enumName: 'PayoutStatus' })
  status!: PayoutStatus;

  @ApiProperty({ example: 'QUAN-5f0c…', description: 'The transfer reference in the payout file' })
  reference!: string;
}

export class StatementDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty({ example: '汉滨区老街面馆' })
  merchantName!: string;

  @ApiBusinessDay({ example: '2026-11-26', description: 'The business day (Asia/Shanghai) it settles' })
  businessDay!: string;

  @ApiProperty({ enum: StatementStatus, enumName: 'StatementStatus' })
  status!: StatementStatus;

  @ApiFen({ example: 123400, description: 'Subsidy owed: Σ of the lines (adjustments are negative), integer fen' })
  totalFen!: Fen;

  @ApiInteger({ example: 62 })
  redemptionCount!: number;

  @ApiInteger({ example: 1 })
  adjustmentCount!: number;

  @ApiDateTime({ example: '2026-11-27T02:00:41+08:00' })
  generatedAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  submittedById!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedById!: string | null;

  @ApiProperty({
    type: StatementPayoutDto,
    nullable: true,
    description: "The statement's latest transfer, once it is in a payout batch",
  })
  payout!: StatementPayoutDto | null;
}

export class StatementLineDto {
  @ApiProperty({ format: 'uuid' })
  redemptionId!: string;

  @ApiProperty({ enum: SettlementLineKind, enumName: 'SettlementLineKind' })
  kind!: SettlementLineKind;

  @ApiFen({
    example: 2000,
    description: 'Positive for a redemption, negative for the adjustment of a reversal, integer fen',
  })
  amountFen!: Fen;

  @ApiBusinessDay({ example: '2026-11-25', description: 'The business day of the redemption itself' })
  redemptionDay!: string;
}

export class StatementDetailDto extends StatementDto {
  @ApiProperty({ type: [StatementLineDto] })
  lines!: StatementLineDto[];
}

export class StatementPageDto {
  @ApiProperty({ type: [StatementDto], description: 'Newest business day first' })
  items!: StatementDto[];
}

export class StatementQueryDto extends PickType(PageQueryDto, ['limit', 'offset'] as const) {
  @ApiBusinessDay({ required: false, example: '2026-11-26' })
  @IsOptional()
  @IsBusinessDay()
  businessDay?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: "A merchant admin sees its own merchant only: another merchant's id finds nothing",
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @ApiPropertyOptional({ enum: StatementStatus, enumName: 'StatementStatus' })
  @IsOptional()
  @IsIn(Object.values(StatementStatus))
  status?: StatementStatus;
}

export class NewPayoutBatchDto {
  @ApiBusinessDay({
    required: false,
    example: '2026-11-26',
    description: 'Only statements of business days up to this one (default: every approved statement not yet paid out)',
  })
  @IsOmittable()
  @IsBusinessDay()
  throughDay?: string;
}

export class PayoutStatementDto {
  @ApiProperty({ format: 'uuid' })
  statementId!: string;

  @ApiBusinessDay({ example: '2026-11-26' })
  businessDay!: string;

  @ApiFen({
    example: 123400,
    description: "The statement's total, integer fen (zero or negative when reversals outweighed that day)",
  })
  amountFen!: Fen;
}

export class PayoutTransferDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty()
  merchantName!: string;

  @ApiFen({ example: 123400, description: 'Σ of the statements it covers, integer fen (always positive)' })
  amountFen!: Fen;

  @ApiProperty({ example: 'QUAN-5f0c…', description: 'The reference the bank echoes back' })
  reference!: string;

  @ApiProperty({ enum: PayoutStatus, enumName: 'PayoutStatus' })
  status!: PayoutStatus;

  @ApiProperty({ type: [PayoutStatementDto], description: 'The approved statements this transfer pays, oldest first' })
  statements!: PayoutStatementDto[];
}

export class PayoutBatchSummaryDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiDateTime({ example: '2026-11-28T09:15:00+08:00' })
  createdAt!: string;

  @ApiProperty({ format: 'uuid' })
  createdById!: string;

  @ApiProperty({
    enum: PayoutBatchStatus,
    enumName: 'PayoutBatchStatus',
    description: 'pending while a transfer shown awaits its outcome, then completed',
  })
  status!: PayoutBatchStatus;

  @ApiFen({ example: 123400, description: 'Σ of the transfers shown, integer fen' })
  totalFen!: Fen;
}

export class PayoutBatchListItemDto extends PayoutBatchSummaryDto {
  @ApiInteger({ description: 'Transfers shown (a merchant admin sees its own)' })
  transferCount!: number;

  @ApiInteger()
  pendingCount!: number;

  @ApiInteger()
  paidCount!: number;

  @ApiInteger()
  failedCount!: number;
}

export class PayoutBatchPageDto {
  @ApiProperty({ type: [PayoutBatchListItemDto], description: 'Newest first' })
  items!: PayoutBatchListItemDto[];

  @ApiInteger({ description: 'Batches matching the filters' })
  total!: number;

  @ApiInteger()
  limit!: number;

  @ApiInteger()
  offset!: number;
}

export class PayoutBatchQueryDto extends PickType(PageQueryDto, ['limit', 'offset'] as const) {
  @ApiPropertyOptional({
    example: '2026-11-01',
    description: 'Batches made on this business day (Asia/Shanghai) or later',
  })
  @IsOptional()
  @IsBusinessDay()
  from?: string;

  @ApiPropertyOptional({ example: '2026-11-30', description: 'Batches made on this business day or earlier' })
  @IsOptional()
  @IsBusinessDay()
  to?: string;

  @ApiPropertyOptional({ enum: PayoutBatchStatus, enumName: 'PayoutBatchStatus' })
  @IsOptional()
  @IsEnum(PayoutBatchStatus)
  status?: PayoutBatchStatus;
}

export class PayoutBatchDto extends PayoutBatchSummaryDto {
  @ApiProperty({ type: [PayoutTransferDto], description: 'One transfer per merchant (a merchant admin sees its own)' })
  transfers!: PayoutTransferDto[];
}

export class PayoutOutcomeDto {
  @ApiProperty({
    enum: [PayoutStatus.Paid, PayoutStatus.Failed],
    description: 'What the bank reported for this transfer',
  })
  @IsIn([PayoutStatus.Paid, PayoutStatus.Failed])
  status!: PayoutStatus.Paid | PayoutStatus.Failed;
}

export class ReconciliationDifferenceDto {
  @ApiProperty({ example: 'campaign_spend' })
  check!: string;

  @ApiProperty({ example: 'campaign 5f0c…' })
  subject!: string;

  @ApiProperty()
  expected!: string;

  @ApiProperty()
  actual!: string;
}

export class ReconciliationReportDto {
  @ApiProperty()
  id!: string;

  @ApiDateTime({ example: '2026-11-27T03:30:05+08:00' })
  ranAt!: string;

  @ApiProperty({ description: 'No difference found' })
  ok!: boolean;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Totals compared (integer fen as strings)',
  })
  figures!: Record<string, string>;

  @ApiProperty({ type: [ReconciliationDifferenceDto] })
  differences!: ReconciliationDifferenceDto[];
}

export class NewRunDto {
  @ApiProperty({
    enum: RunKind,
    enumName: 'RunKind',
    description: 'settle_day: settle a past business day again; reconciliation: check the books now',
  })
  @IsEnum(RunKind)
  kind!: RunKind;

  @ApiBusinessDay({
    required: false,
    example: '2026-11-26',
    description: 'The past business day to settle (settle_day only; today and later are refused)',
  })
  @IsRunDay()
  businessDay?: string;
}

export class SettledDayOutcomeDto {
  @ApiBusinessDay({ example: '2026-11-26' })
  businessDay!: string;

  @ApiInteger({ description: 'Merchants with something to settle that day' })
  merchants!: number;

  @ApiInteger({ description: 'Lines this run added (0 when the day was settled already)' })
  redemptionLines!: number;

  @ApiInteger({ description: 'Adjustment lines this run added' })
  adjustmentLines!: number;
}

export class ReconciliationOutcomeDto {
  @ApiProperty({ description: 'The stored report (GET /admin/reconciliation shows the latest)' })
  reportId!: string;

  @ApiProperty({ description: 'No difference found' })
  ok!: boolean;

  @ApiInteger()
  differences!: number;
}

export class RunDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: RunKind, enumName: 'RunKind' })
  kind!: RunKind;

  @ApiBusinessDay({ example: '2026-11-26', nullable: true, description: 'The day settled; null for a reconciliation' })
  businessDay!: string | null;

  @ApiProperty({
    enum: RunStatus,
    enumName: 'RunStatus',
    description: 'queued → running → succeeded or failed; poll GET /settlement/runs/{id}',
  })
  status!: RunStatus;

  @ApiProperty({ format: 'uuid' })
  requestedById!: string;

  @ApiProperty({ format: 'date-time' })
  requestedAt!: string;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  startedAt!: string | null;

  @ApiProperty({ type: String, format: 'date-time', nullable: true })
  finishedAt!: string | null;

  @ApiProperty({ type: SettledDayOutcomeDto, nullable: true, description: 'What a succeeded settle_day run did' })
  settled!: SettledDayOutcomeDto | null;

  @ApiProperty({ type: ReconciliationOutcomeDto, nullable: true, description: 'What a succeeded reconciliation found' })
  reconciliation!: ReconciliationOutcomeDto | null;

  @ApiProperty({ type: String, nullable: true, description: 'Why the last attempt failed' })
  error!: string | null;
}
