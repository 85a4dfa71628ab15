import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsEnum, IsOptional, IsString, IsUUID, Length } from 'class-validator';
import { StaffRole } from '@quan/data';
import { ApiInteger, PageQueryDto } from '@quan/platform';
import { NewStaffCredentialsDto, StaffAccountDto } from '@quan/staff-accounts';

export class StaffLoginDto {
  @ApiProperty({ example: 'admin' })
  @IsString()
  @Length(1, 64)
  username!: string;

  @ApiProperty({ example: 'quan-demo-2026' })
  @IsString()
  @Length(1, 256)
  password!: string;
}

export class RefreshTokenDto {
  @ApiProperty({ description: 'The refresh token of the last login or refresh (each works once)' })
  @IsString()
  @Length(1, 256)
  refreshToken!: string;
}

export class StaffSessionDto {
  @ApiProperty({ description: 'Bearer access token (HS256 JWT)' })
  accessToken!: string;

  @ApiProperty({ description: 'Opaque; exchange it once at /auth/staff/refresh for a new pair' })
  refreshToken!: string;

  @ApiProperty({ example: 'Bearer' })
  tokenType!: 'Bearer';

  @ApiInteger({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;

  @ApiProperty({ type: StaffAccountDto })
  account!: StaffAccountDto;
}

export class NewStaffAccountDto extends NewStaffCredentialsDto {
  @ApiProperty({ enum: StaffRole, enumName: 'StaffRole' })
  @IsEnum(StaffRole)
  role!: StaffRole;

  @ApiPropertyOptional({
    type: String,
    nullable: true,
    description: 'Required for county_admin and community_agent, absent otherwise',
    example: 'hanbin',
  })
  @IsOptional()
  @IsString()
  countyCode?: string | null;

  @ApiPropertyOptional({
    type: String,
    format: 'uuid',
    nullable: true,
    description: 'Required for merchant_admin and cashier, absent otherwise',
  })
  @IsOptional()
  @IsUUID()
  merchantId?: string | null;
}

export class StaffAccountQueryDto extends PageQueryDto {
  @ApiPropertyOptional({ enum: StaffRole, enumName: 'StaffRole' })
  @IsOptional()
  @IsEnum(StaffRole)
  role?: StaffRole;

  @ApiPropertyOptional({ example: 'hanbin' })
  @IsOptional()
  @IsString()
  countyCode?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  merchantId?: string;
}

export class StaffAccountPageDto {
  @ApiProperty({ type: [StaffAccountDto] })
  @Type(() => StaffAccountDto)
  items!: StaffAccountDto[];

  @ApiInteger({ description: 'Items matching the filter, on all pages' })
  total!: number;
}
