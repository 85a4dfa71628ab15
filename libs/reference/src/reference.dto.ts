import { ApiProperty, PartialType, PickType } from '@nestjs/swagger';
import { IsEnum, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { Category, County, CountyKind } from '@quan/data';
import { ApiInteger, IsOmittable, NULL_IS_A_VALUE } from '@quan/platform';

export class CountyDto {
  @ApiProperty({ example: 'hanbin' })
  code!: string;

  @ApiProperty({ example: '汉滨区' })
  name!: string;

  @ApiProperty({ enum: CountyKind, enumName: 'CountyKind' })
  kind!: CountyKind;

  static from(county: County): CountyDto {
    return { code: county.code, name: county.name, kind: county.kind };
  }
}

export class CategoryDto {
  @ApiProperty({ example: 'catering' })
  code!: string;

  @ApiProperty({ example: '餐饮' })
  name!: string;

  static from(category: Category): CategoryDto {
    return { code: category.code, name: category.name };
  }
}

const CODE = /^[a-z][a-z0-9-]{1,31}$/;
const CODE_MESSAGE = 'code must be 2-32 characters of a-z, 0-9 or "-", starting with a letter';

export class NewCountyDto {
  @ApiProperty({ example: 'yuehe', description: 'Permanent key: 2–32 characters of a-z, 0-9 or "-"' })
  @Matches(CODE, { message: CODE_MESSAGE })
  code!: string;

  @ApiProperty({ example: '月河新区' })
  @IsString()
  @Length(1, 50)
  name!: string;

  @ApiProperty({ enum: CountyKind, enumName: 'CountyKind' })
  @IsEnum(CountyKind)
  kind!: CountyKind;

  @ApiInteger({ required: false, default: 0, description: 'Position in lists' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  @Max(10000)
  sortOrder?: number;
}

export class CountyChangesDto extends PartialType(
  PickType(NewCountyDto, ['name', 'kind', 'sortOrder'] as const),
  NULL_IS_A_VALUE,
) {}

export class NewCategoryDto extends PickType(NewCountyDto, ['code', 'name', 'sortOrder'] as const) {}

export class CategoryChangesDto extends PartialType(
  PickType(NewCountyDto, ['name', 'sortOrder'] as const),
  NULL_IS_A_VALUE,
) {}
