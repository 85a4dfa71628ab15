import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { PHONE_PATTERN } from '@quan/domain';
import { ApiInteger } from '@quan/platform';

export class RequestCodeDto {
  @ApiProperty({ example: '13812345678', description: 'Mainland mobile number' })
  @Matches(PHONE_PATTERN, { message: 'phone must be a mainland mobile number' })
  phone!: string;
}

export class LoginDto extends RequestCodeDto {
  @ApiProperty({ example: '123456' })
  @Matches(/^\d{6}$/, { message: 'code must be six digits' })
  code!: string;
}

export class RefreshDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  refreshToken!: string;
}

export class VerifyIdentityDto {
  @ApiProperty({ example: '张三' })
  @IsString()
  @Length(1, 40)
  name!: string;

  @ApiProperty({ example: '11010519491231002X', description: '居民身份证号码; only a keyed hash is stored' })
  @IsString()
  @Length(18, 18)
  idNumber!: string;
}

export class CodeSentDto {
  @ApiInteger({ example: 300, description: 'Seconds the code stays valid' })
  expiresIn!: number;

  @ApiPropertyOptional({
    example: '123456',
    description: 'Outside production only: the code, for the login screen to show',
  })
  devCode?: string;
}

export class TokenPairDto {
  @ApiProperty()
  accessToken!: string;

  @ApiProperty()
  refreshToken!: string;

  @ApiInteger({ example: 900, description: 'Seconds until the access token expires' })
  expiresIn!: number;
}

export class IdentityVerifiedDto extends TokenPairDto {
  @ApiProperty({
    description: 'Whether other phone numbers were already verified as this person: they share its limits',
  })
  identityShared!: boolean;

  @ApiInteger({ example: 1, description: 'How many other phone numbers are verified as this person' })
  otherPhones!: number;
}

export class MeDto {
  @ApiProperty()
  id!: string;

  @ApiProperty({
    type: String,
    nullable: true,
    example: '138****5678',
    description: 'Null for an account a community agent registered without a phone',
  })
  phoneMasked!: string | null;

  @ApiProperty()
  identityVerified!: boolean;

  @ApiProperty({ example: '张*', nullable: true, type: String })
  nameMasked!: string | null;
}
