import { ApiProperty, ApiPropertyOptional, PickType } from '@nestjs/swagger';
import { IsIn, IsOptional, IsUUID, ValidateBy } from 'class-validator';
import { businessDayStart, Fen } from '@quan/domain';
import { PayoutStatus, SettlementLineKind, StatementStatus } from '@quan/data';
import { PageQueryDto } from '@quan/platform';

/** A real calendar day written YYYY-MM-DD (2026-02-30 is refused). */
function IsBusinessDay(): PropertyDecorator {
  return ValidateBy({
    name: 'isBusinessDay',
    validator: {
      validate: (value: unknown) => {
        try {
          return typeof value === 'string' && businessDayStart(value) instanceof Date;
        } catch {
          return false;
        }
      },
      defaultMessage: () => '$property must be a day written YYYY-MM-DD',
    },
  });
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

  @ApiProperty({ example: '2026-11-26', description: 'The business day (Asia/Shanghai) it settles' })
  businessDay!: string;

  @ApiProperty({ enum: StatementStatus, enumName: 'StatementStatus' })
  status!: StatementStatus;

  @ApiProperty({ example: 123400, description: 'Subsidy owed: Σ of the lines (adjustments are negative), integer fen' })
  totalFen!: Fen;

  @ApiProperty()
  redemptionCount!: number;

  @ApiProperty()
  adjustmentCount!: number;

  @ApiProperty({ format: 'date-time' })
  generatedAt!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  submittedById!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  approvedById!: string | null;

  @ApiProperty({ type: StatementPayoutDto, nullable: true, description: "The statement's latest transfer, once it is in a payout batch" })
  payout!: StatementPayoutDto | null;
}

export class StatementLineDto {
  @ApiProperty({ format: 'uuid' })
  redemptionId!: string;

  @ApiProperty({ enum: SettlementLineKind, enumName: 'SettlementLineKind' })
  kind!: SettlementLineKind;

  @ApiProperty({ description: 'Positive for a redemption, negative for the adjustment of a reversal, integer fen' })
  amountFen!: Fen;

  @ApiProperty({ example: '2026-11-25', description: 'The business day of the redemption itself' })
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
  @ApiPropertyOptional({ example: '2026-11-26' })
  @IsOptional()
  @IsBusinessDay()
  businessDay?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'A merchant admin sees its own merchant only: another merchant\'s id finds nothing' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @ApiPropertyOptional({ enum: StatementStatus, enumName: 'StatementStatus' })
  @IsOptional()
  @IsIn(Object.values(StatementStatus))
  status?: StatementStatus;
}

export class NewPayoutBatchDto {
  @ApiPropertyOptional({ example: '2026-11-26', description: 'Only statements of business days up to this one (default: every approved statement not yet paid out)' })
  @IsOptional()
  @IsBusinessDay()
  throughDay?: string;
}

export class PayoutStatementDto {
  @ApiProperty({ format: 'uuid' })
  statementId!: string;

  @ApiProperty({ example: '2026-11-26' })
  businessDay!: string;

  @ApiProperty({ description: "The statement's total, integer fen (zero or negative when reversals outweighed that day)" })
  amountFen!: Fen;
}

export class PayoutTransferDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty()
  merchantName!: string;

  @ApiProperty({ description: 'Σ of the statements it covers, integer fen (always positive)' })
  amountFen!: Fen;

  @ApiProperty({ example: 'QUAN-5f0c…', description: 'The reference the bank echoes back' })
  reference!: string;

  @ApiProperty({ enum: PayoutStatus, enumName: 'PayoutStatus' })
  status!: PayoutStatus;

  @ApiProperty({ type: [PayoutStatementDto], description: 'The approved statements this transfer pays, oldest first' })
  statements!: PayoutStatementDto[];
}

export class PayoutBatchDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;

  @ApiProperty({ format: 'uuid' })
  createdById!: string;

  @ApiProperty({ description: 'Σ of the transfers shown, integer fen' })
  totalFen!: Fen;

  @ApiProperty({ type: [PayoutTransferDto], description: 'One transfer per merchant (a merchant admin sees its own)' })
  transfers!: PayoutTransferDto[];
}

export class PayoutOutcomeDto {
  @ApiProperty({ enum: [PayoutStatus.Paid, PayoutStatus.Failed], description: 'What the bank reported for this transfer' })
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

  @ApiProperty({ format: 'date-time' })
  ranAt!: string;

  @ApiProperty({ description: 'No difference found' })
  ok!: boolean;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'string' }, description: 'Totals compared (integer fen as strings)' })
  figures!: Record<string, string>;

  @ApiProperty({ type: [ReconciliationDifferenceDto] })
  differences!: ReconciliationDifferenceDto[];
}
