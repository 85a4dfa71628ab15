import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, Length, Matches } from 'class-validator';
import { ConsentGivenBy, ConsentMethod } from '@quan/data';
import { PHONE_PATTERN } from '@quan/domain';
import { ApiDateTime, ApiInteger, IsIsoDateTime, PageQueryDto } from '@quan/platform';
import { VerifyIdentityDto } from './residents.dto';

/** A community agent registers a resident without a smartphone from their ID card, with their consent. */
export class NewAssistedResidentDto extends VerifyIdentityDto {
  @ApiPropertyOptional({
    example: '13812345678',
    description:
      "The resident's own mobile number, if they have one: they can later log in with it and see what the agent claimed",
  })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'phone must be a mainland mobile number' })
  phone?: string;

  @ApiProperty({
    example: 'hanbin',
    description:
      "The county the resident belongs to, as their 户口簿 or 居住证 shows; it must be the agent's own (403 OUT_OF_SCOPE)",
  })
  @IsString()
  @Length(1, 64)
  countyCode!: string;

  @ApiProperty({ enum: ConsentGivenBy, enumName: 'ConsentGivenBy', description: 'Who agreed to the agent acting' })
  @IsEnum(ConsentGivenBy)
  consentGivenBy!: ConsentGivenBy;

  @ApiProperty({ enum: ConsentMethod, enumName: 'ConsentMethod', description: 'How the consent was recorded' })
  @IsEnum(ConsentMethod)
  consentMethod!: ConsentMethod;

  @ApiDateTime({ example: '2026-12-07T10:00:00+08:00', description: 'When the consent was given; not in the future' })
  @IsIsoDateTime()
  consentAt!: string;
}

export class AssistedResidentDto {
  @ApiProperty({ format: 'uuid', description: 'The resident account the agent acts for' })
  residentId!: string;

  @ApiProperty({ format: 'uuid', description: "The verified person: every channel's per-person limits count it" })
  identityId!: string;

  @ApiProperty({ example: '张*' })
  nameMasked!: string;

  @ApiProperty({ type: String, nullable: true, example: '138****5678' })
  phoneMasked!: string | null;

  @ApiProperty({ example: 'hanbin' })
  countyCode!: string;

  @ApiProperty({ format: 'uuid' })
  registeredById!: string;

  @ApiProperty({ example: 'hanbin-agent' })
  registeredByUsername!: string;

  @ApiDateTime({ example: '2026-12-07T10:05:00+08:00' })
  registeredAt!: string;

  @ApiProperty({ enum: ConsentGivenBy, enumName: 'ConsentGivenBy' })
  consentGivenBy!: ConsentGivenBy;

  @ApiProperty({ enum: ConsentMethod, enumName: 'ConsentMethod' })
  consentMethod!: ConsentMethod;

  @ApiDateTime({ example: '2026-12-07T10:00:00+08:00' })
  consentAt!: string;

  @ApiProperty({
    type: String,
    format: 'date-time',
    nullable: true,
    description: 'When an agent last acted for the resident',
  })
  lastServedAt!: string | null;

  @ApiProperty({ type: String, nullable: true, example: 'hanbin-agent', description: 'Who did' })
  lastServedByUsername!: string | null;
}

export class AssistedResidentPageDto {
  @ApiProperty({ type: [AssistedResidentDto] })
  @Type(() => AssistedResidentDto)
  items!: AssistedResidentDto[];

  @ApiInteger({ description: 'Items matching the filter, on all pages' })
  total!: number;
}

export class AssistedResidentQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'hanbin', description: "City admins and auditors only; others see their county's" })
  @IsOptional()
  @IsString()
  countyCode?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'Only residents this agent has served' })
  @IsOptional()
  @IsUUID()
  servedBy?: string;
}

export class ActingSessionDto {
  @ApiProperty({
    description:
      "A resident access token for the resident, naming the agent as its actor (RFC 8693 `act`): every resident endpoint (claims, wallet, lottery registration) takes it on the resident's identity",
  })
  accessToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiInteger({ example: 900, description: 'Seconds until it expires; there is no refresh token' })
  expiresIn!: number;

  @ApiProperty({ format: 'uuid' })
  residentId!: string;

  @ApiInteger({ example: 3, description: 'Residents the agent has served today, this one included' })
  servedToday!: number;

  @ApiInteger({ example: 50, description: 'The most residents the agent may serve in a business day' })
  dailyQuota!: number;
}
