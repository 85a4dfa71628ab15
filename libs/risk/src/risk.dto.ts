import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsObject, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { Fen } from '@quan/domain';
import { ApiBusinessDay, ApiDateTime, ApiFen, ApiInteger, ApiRatio, IsBusinessDay, PageQueryDto } from '@quan/platform';
import { RiskRule } from './risk-rules';

export enum RiskSeverity {
  Low = 'low',
  Medium = 'medium',
  High = 'high',
}

/** open → clearing (proposed by one operator) → cleared (confirmed by another); open or clearing → confirmed. */
export enum RiskFlagStatus {
  Open = 'open',
  Clearing = 'clearing',
  Cleared = 'cleared',
  Confirmed = 'confirmed',
}

export class RiskFlagQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: RiskFlagStatus, enumName: 'RiskFlagStatus' })
  @IsOptional()
  @IsIn(Object.values(RiskFlagStatus))
  status?: RiskFlagStatus;

  @ApiPropertyOptional({ enum: RiskSeverity, enumName: 'RiskSeverity' })
  @IsOptional()
  @IsIn(Object.values(RiskSeverity))
  severity?: RiskSeverity;

  @ApiPropertyOptional({ enum: RiskRule, enumName: 'RiskRule' })
  @IsOptional()
  @IsIn(Object.values(RiskRule))
  rule?: RiskRule;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;

  @ApiPropertyOptional({ example: '610902', description: "A county admin's own county applies whatever this says" })
  @IsOptional()
  @IsString()
  @Length(1, 12)
  countyCode?: string;

  @ApiBusinessDay({ required: false, example: '2026-12-01', description: 'Flags of business days from this one' })
  @IsOptional()
  @IsBusinessDay()
  from?: string;

  @ApiBusinessDay({ required: false, example: '2026-12-07', description: 'Flags of business days up to this one' })
  @IsOptional()
  @IsBusinessDay()
  to?: string;
}

export class RiskFlagDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: RiskRule, enumName: 'RiskRule' })
  rule!: RiskRule;

  @ApiInteger({ minimum: 1, description: 'The version of the rule whose parameters raised (or last raised) the flag' })
  ruleVersion!: number;

  @ApiProperty({ enum: RiskSeverity, enumName: 'RiskSeverity' })
  severity!: RiskSeverity;

  @ApiProperty({ enum: RiskFlagStatus, enumName: 'RiskFlagStatus' })
  status!: RiskFlagStatus;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for an identity farm' })
  merchantId!: string | null;

  @ApiProperty({ nullable: true, type: String })
  merchantName!: string | null;

  @ApiProperty({ nullable: true, type: String })
  countyCode!: string | null;

  @ApiBusinessDay({ nullable: true, example: '2026-12-07' })
  businessDay!: string | null;

  @ApiProperty({ example: '61 of 80 threshold orders just above the threshold (76.3 % against 8.1 % in the category)' })
  summary!: string;

  @ApiDateTime({ example: '2026-12-07T10:15:00.000Z' })
  raisedAt!: string;

  @ApiDateTime({ example: '2026-12-07T10:16:00.000Z' })
  updatedAt!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  proposedById!: string | null;

  @ApiProperty({ nullable: true, type: String })
  proposedReason!: string | null;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Who cleared or confirmed it' })
  decidedById!: string | null;

  @ApiProperty({ nullable: true, type: String })
  decidedReason!: string | null;

  @ApiDateTime({ nullable: true, example: '2026-12-08T09:30:00.000Z' })
  decidedAt!: string | null;

  @ApiProperty({ description: 'Whether confirming it suspended the merchant' })
  merchantSuspended!: boolean;
}

export class RiskFlagDetailDto extends RiskFlagDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description:
      'figures (the merchant against the category baseline), the redemptions involved (redemptionIds) or, ' +
      'for an identity farm, the identities (identityIds)',
  })
  evidence!: Record<string, unknown>;
}

export class RiskFlagPageDto {
  @ApiProperty({ type: [RiskFlagDto] })
  items!: RiskFlagDto[];

  @ApiInteger({ minimum: 0 })
  total!: number;

  @ApiInteger({ minimum: 1 })
  limit!: number;

  @ApiInteger({ minimum: 0 })
  offset!: number;
}

export class FlagReasonDto {
  @ApiProperty({ example: '经实地核查，满减档位订单为套餐定价所致' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class ConfirmFlagDto extends FlagReasonDto {
  @ApiPropertyOptional({ default: false, description: 'Also suspend the merchant (cash-out confirmed)' })
  @IsOptional()
  @IsBoolean()
  suspendMerchant?: boolean;
}

export class AmountBucketDto {
  @ApiFen({ description: 'Lower end of the order amount bucket (10 yuan wide)' })
  fromFen!: Fen;

  @ApiRatio({ description: "Share of the merchant's orders in this bucket", example: 0.12 })
  merchantShare!: number;

  @ApiRatio({ description: "Share of the category's orders in the city in this bucket", example: 0.05 })
  cityShare!: number;
}

export class MerchantRiskSummaryDto {
  @ApiProperty({ format: 'uuid' })
  merchantId!: string;

  @ApiProperty()
  merchantName!: string;

  @ApiProperty()
  categoryCode!: string;

  @ApiProperty()
  countyCode!: string;

  @ApiProperty({ description: 'An open, clearing or confirmed high-severity flag holds its statements' })
  held!: boolean;

  @ApiProperty({ format: 'uuid', nullable: true, type: String })
  holdingFlagId!: string | null;

  @ApiFen({ description: 'Subsidy recorded as not payable in the budget ledger by confirmed flags' })
  withheldFen!: Fen;

  @ApiProperty({ type: [RiskFlagDto], description: 'Its flags, newest first (at most 50)' })
  flags!: RiskFlagDto[];

  @ApiProperty({
    type: [AmountBucketDto],
    description: 'Order amounts of the last 30 business days against its category in the city',
  })
  orderAmounts!: AmountBucketDto[];
}

export class RiskRuleDto {
  @ApiProperty({ enum: RiskRule, enumName: 'RiskRule' })
  code!: RiskRule;

  @ApiInteger({ minimum: 1 })
  version!: number;

  @ApiProperty({ type: 'object', additionalProperties: { type: 'number', format: 'double' } })
  parameters!: Record<string, number>;

  @ApiProperty()
  reason!: string;

  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'Null for the initial version' })
  changedById!: string | null;

  @ApiDateTime({ example: '2026-12-07T10:15:00.000Z' })
  createdAt!: string;
}

export class RiskRuleChangeDto {
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'number', format: 'double' },
    description: 'Every parameter of the rule',
  })
  @IsObject()
  parameters!: Record<string, number>;

  @ApiProperty({ example: '按季度复核，提高门槛档位的最低订单数' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}
