import { ApiProperty, ApiPropertyOptional, IntersectionType, PickType } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsUUID, Max, Min } from 'class-validator';
import { CampaignStatus } from '@quan/data';
import { Fen } from '@quan/domain';
import { ApiBusinessDay, ApiDateTime, ApiFen, ApiInteger, ApiRatio, IsBusinessDay } from '@quan/platform';

export enum LeverageDimension {
  Day = 'day',
  County = 'county',
  Category = 'category',
  Merchant = 'merchant',
}

export enum ExportFormat {
  Csv = 'csv',
  Xlsx = 'xlsx',
}

/** The filters every report takes. Days are business days (Asia/Shanghai), both ends included. */
export class ReportQueryDto {
  @ApiPropertyOptional({ format: 'uuid', description: 'One campaign only (default: every campaign)' })
  @IsOptional()
  @IsUUID()
  campaignId?: string;

  @ApiBusinessDay({
    required: false,
    example: '2026-11-24',
    description: 'First business day (default: 13 days before `to`)',
  })
  @IsOptional()
  @IsBusinessDay()
  from?: string;

  @ApiBusinessDay({
    required: false,
    example: '2026-12-07',
    description: 'Last business day, included (default: today)',
  })
  @IsOptional()
  @IsBusinessDay()
  to?: string;
}

export class LeverageQueryDto extends ReportQueryDto {
  @ApiProperty({
    enum: LeverageDimension,
    enumName: 'LeverageDimension',
    description: 'What each row is: a business day, a county, a category or a merchant',
  })
  @IsEnum(LeverageDimension)
  by!: LeverageDimension;

  @ApiInteger({
    required: false,
    minimum: 1,
    maximum: 200,
    default: 50,
    description: 'Rows at most, the largest order totals first (by day: every day of the range)',
  })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit?: number;
}

export class LeverageExportQueryDto extends LeverageQueryDto {
  @ApiProperty({
    enum: ExportFormat,
    enumName: 'ReportExportFormat',
    description: 'csv (UTF-8 with a byte order mark) or xlsx',
  })
  @IsEnum(ExportFormat)
  format!: ExportFormat;
}

/** Redemption figures: redemptions not reversed, their order totals, discounts and the bureau's subsidy. */
export class RedemptionFiguresDto {
  @ApiInteger({ description: 'Redemptions of the day(s) not reversed' })
  redemptions!: number;

  @ApiFen({ description: 'Order amounts of those redemptions' })
  orderTotalFen!: Fen;

  @ApiFen({ description: 'Discounts of those redemptions (bureau and merchant shares)' })
  discountFen!: Fen;

  @ApiFen({ description: "The bureau's share of those discounts: what settlement pays" })
  subsidyFen!: Fen;
}

export class LeverageFiguresDto extends RedemptionFiguresDto {
  @ApiRatio({
    nullable: true,
    example: 6.42,
    description: '拉动比: orderTotalFen ÷ subsidyFen, to two decimals; null without subsidy',
  })
  leverage!: number | null;
}

export class ReportDayDto extends RedemptionFiguresDto {
  @ApiBusinessDay({ example: '2026-12-07' })
  businessDay!: string;

  @ApiInteger({ description: 'Claims (抢券) of the day' })
  claims!: number;

  @ApiInteger({ description: 'Vouchers those claims issued' })
  vouchersIssued!: number;

  @ApiInteger({ description: 'Redemptions of the day reversed since (not in the other figures)' })
  reversals!: number;
}

/** A day's figures with their 拉动比. */
export class ReportTodayDto extends IntersectionType(
  ReportDayDto,
  PickType(LeverageFiguresDto, ['leverage'] as const),
) {}

export class CampaignBudgetDto {
  @ApiProperty({ format: 'uuid' })
  campaignId!: string;

  @ApiProperty({ example: '秦乐购·第七期消费券' })
  name!: string;

  @ApiProperty({ enum: CampaignStatus, enumName: 'CampaignStatus' })
  campaignStatus!: CampaignStatus;

  @ApiFen()
  budgetFen!: Fen;

  @ApiFen({
    description: 'Subsidy committed by redemptions not reversed (campaign_spend, which the budget check uses)',
  })
  usedFen!: Fen;

  @ApiFen({ description: 'budgetFen − usedFen' })
  remainingFen!: Fen;
}

export class ReportOverviewDto {
  @ApiDateTime({
    example: '2026-12-07T15:42:10.120Z',
    nullable: true,
    description:
      'The newest event folded into the figures (a redemption, a reversal, or the time claims are counted up to); ' +
      'null before any',
  })
  asOf!: string | null;

  @ApiProperty({ type: ReportTodayDto, description: "Today's figures (Asia/Shanghai)" })
  today!: ReportTodayDto;

  @ApiProperty({ type: [CampaignBudgetDto], description: 'Running campaigns the caller may read, by start' })
  campaigns!: CampaignBudgetDto[];

  @ApiProperty({
    type: [ReportDayDto],
    description: 'Each business day from `from` to `to`, oldest first, days without activity included',
  })
  daily!: ReportDayDto[];
}

export class LeverageRowDto extends LeverageFiguresDto {
  @ApiProperty({ example: 'catering', description: 'The business day, county code, category code or merchant id' })
  key!: string;

  @ApiProperty({ example: '餐饮', description: 'The business day, county name, category name or merchant name' })
  label!: string;
}

export class LeverageReportDto {
  @ApiProperty({ enum: LeverageDimension, enumName: 'LeverageDimension' })
  by!: LeverageDimension;

  @ApiBusinessDay({ example: '2026-11-24' })
  from!: string;

  @ApiBusinessDay({ example: '2026-12-07' })
  to!: string;

  @ApiProperty({
    type: [LeverageRowDto],
    description: 'Largest order totals first (by day: oldest day first, days without activity included)',
  })
  rows!: LeverageRowDto[];

  @ApiProperty({
    type: LeverageFiguresDto,
    description: 'Every redemption the filters select, rows left out by `limit` included',
  })
  total!: LeverageFiguresDto;
}
