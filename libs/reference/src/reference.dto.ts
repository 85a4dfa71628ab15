import { ApiProperty } from '@nestjs/swagger';
import { Category, County, CountyKind } from '@quan/data';

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
