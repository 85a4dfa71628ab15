import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ApiInteger } from './api-property';

/** ?limit=&offset= of list endpoints. */
export class PageQueryDto {
  @ApiInteger({ required: false, minimum: 1, maximum: 200, default: 50, description: 'Items per page' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(200)
  limit = 50;

  @ApiInteger({ required: false, minimum: 0, default: 0, description: 'Items to skip' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  offset = 0;
}
