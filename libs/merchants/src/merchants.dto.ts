import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, IsString, Length, Matches } from 'class-validator';
import { Merchant, MerchantStatus } from '@quan/data';
import { PHONE_PATTERN } from '@quan/domain';
import { ApiDateTime, ApiInteger, IsNestedObject, IsOmittable, PageQueryDto } from '@quan/platform';
import { NewStaffCredentialsDto, StaffAccountDto } from '@quan/staff-accounts';

const upper = ({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toUpperCase() : value);
const toBoolean = ({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value);

/** What a merchant states about itself when it enrols. */
export class MerchantFieldsDto {
  @ApiProperty({ example: '汉滨汉水酒家（001号店）' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    example: '91610902000700001X',
    description: '统一社会信用代码: 18 characters whose last is a check character (GB 32100-2015)',
  })
  @Transform(upper)
  @IsString()
  @Length(18, 18)
  licenceNo!: string;

  @ApiProperty({ example: 'catering' })
  @IsString()
  categoryCode!: string;

  @ApiProperty({ example: 'hanbin' })
  @IsString()
  countyCode!: string;

  @ApiProperty({ example: '汉滨区汉水路12号' })
  @IsString()
  @Length(1, 200)
  address!: string;

  @ApiProperty({ example: '安康农村商业银行' })
  @IsString()
  @Length(1, 100)
  bankName!: string;

  @ApiProperty({ example: '汉水酒家' })
  @IsString()
  @Length(1, 100)
  bankAccountName!: string;

  @ApiProperty({ example: '6217000030000007919' })
  @Matches(/^\d{8,32}$/, { message: 'bankAccountNo must be 8-32 digits' })
  bankAccountNo!: string;

  @ApiPropertyOptional({
    example: '13912345678',
    description: 'Mainland mobile number to reach the merchant; stored sealed, shown masked',
  })
  @IsOptional()
  @Matches(PHONE_PATTERN, { message: 'contactPhone must be a mainland mobile number' })
  contactPhone?: string;

  @ApiPropertyOptional({ default: false, description: '限上企业: above the statistical size threshold' })
  @IsOmittable()
  @IsBoolean()
  aboveQuota?: boolean;
}

export class MerchantApplicationDto {
  @ApiProperty({ type: MerchantFieldsDto })
  @IsNestedObject(() => MerchantFieldsDto)
  merchant!: MerchantFieldsDto;

  @ApiProperty({
    type: NewStaffCredentialsDto,
    description: 'The merchant admin account, usable to follow the review and, once approved, to manage cashiers',
  })
  @IsNestedObject(() => NewStaffCredentialsDto)
  admin!: NewStaffCredentialsDto;
}

export class MerchantDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty()
  name!: string;

  @ApiProperty()
  licenceNo!: string;

  @ApiProperty()
  categoryCode!: string;

  @ApiProperty()
  countyCode!: string;

  @ApiProperty()
  address!: string;

  @ApiProperty()
  bankName!: string;

  @ApiProperty()
  bankAccountName!: string;

  @ApiProperty({
    example: '***************7919',
    description: 'Masked (all but the last 4 digits) for everyone; finance gets it whole in the payout file only',
  })
  bankAccountNo!: string;

  @ApiProperty({ type: String, nullable: true, example: '139****5678', description: 'Masked' })
  contactPhone!: string | null;

  @ApiProperty()
  aboveQuota!: boolean;

  @ApiProperty({ enum: MerchantStatus, enumName: 'MerchantStatus' })
  status!: MerchantStatus;

  @ApiProperty({
    type: String,
    nullable: true,
    description: 'Why the application was rejected or the merchant suspended',
  })
  statusReason!: string | null;

  @ApiDateTime({ example: '2026-03-10T11:20:00+08:00' })
  createdAt!: string;

  @ApiDateTime({ example: '2026-03-12T15:45:00+08:00' })
  updatedAt!: string;

  static from(merchant: Merchant): MerchantDto {
    return {
      id: merchant.id,
      name: merchant.name,
      licenceNo: merchant.licenceNo,
      categoryCode: merchant.categoryCode,
      countyCode: merchant.countyCode,
      address: merchant.address,
      bankName: merchant.bankName,
      bankAccountName: merchant.bankAccountName,
      bankAccountNo: merchant.bankAccountMasked,
      contactPhone: merchant.contactPhoneMasked,
      aboveQuota: merchant.aboveQuota,
      status: merchant.status,
      statusReason: merchant.statusReason,
      createdAt: merchant.createdAt.toISOString(),
      updatedAt: merchant.updatedAt.toISOString(),
    };
  }
}

export class MerchantApplicationResultDto {
  @ApiProperty({ type: MerchantDto })
  merchant!: MerchantDto;

  @ApiProperty({ type: StaffAccountDto })
  admin!: StaffAccountDto;
}

export class MerchantPageDto {
  @ApiProperty({ type: [MerchantDto] })
  items!: MerchantDto[];

  @ApiInteger({ description: 'Items matching the filter, on all pages' })
  total!: number;
}

export class MerchantQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: MerchantStatus, enumName: 'MerchantStatus' })
  @IsOptional()
  @IsEnum(MerchantStatus)
  status?: MerchantStatus;

  @ApiPropertyOptional({ example: 'hanbin' })
  @IsOptional()
  @IsString()
  countyCode?: string;

  @ApiPropertyOptional({ example: 'catering' })
  @IsOptional()
  @IsString()
  categoryCode?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  aboveQuota?: boolean;

  @ApiPropertyOptional({
    example: '秦巴',
    description: 'Part of the name (a text filter matches a part, ignoring case)',
  })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;
}

export class ReasonDto {
  @ApiProperty({ example: '营业执照与经营地址不符' })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

/** ?countyCode=&categoryCode=&q= of the residents' directory (where to spend). */
export class MerchantDirectoryQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ example: 'hanbin' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  countyCode?: string;

  @ApiPropertyOptional({ example: 'catering' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  categoryCode?: string;

  @ApiPropertyOptional({ example: '酒家', description: 'Part of the name, any case' })
  @IsOptional()
  @IsString()
  @Length(1, 50)
  name?: string;
}

/** A merchant as residents see it in the directory: where it is and what it sells, nothing personal or financial. */
export class MerchantListingDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ example: '汉滨汉水酒家（001号店）' })
  name!: string;

  @ApiProperty({ example: 'hanbin' })
  countyCode!: string;

  @ApiProperty({ example: '汉滨区' })
  countyName!: string;

  @ApiProperty({ example: 'catering' })
  categoryCode!: string;

  @ApiProperty({ example: '餐饮' })
  categoryName!: string;

  @ApiProperty({ example: '汉滨区汉水路12号' })
  address!: string;

  @ApiProperty({ description: '限上企业: above the statistical size threshold (some campaigns admit only these)' })
  aboveQuota!: boolean;

  static from(merchant: Merchant): MerchantListingDto {
    return {
      id: merchant.id,
      name: merchant.name,
      countyCode: merchant.countyCode,
      countyName: merchant.county!.name,
      categoryCode: merchant.categoryCode,
      categoryName: merchant.category!.name,
      address: merchant.address,
      aboveQuota: merchant.aboveQuota,
    };
  }
}

export class MerchantDirectoryPageDto {
  @ApiProperty({ type: [MerchantListingDto] })
  items!: MerchantListingDto[];

  @ApiProperty({ type: 'integer', example: 1, description: 'Merchants matching the filters, on every page' })
  total!: number;

  @ApiProperty({ type: 'integer', example: 50 })
  limit!: number;

  @ApiProperty({ type: 'integer', example: 0 })
  offset!: number;
}
