import { Controller, Get, Param } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '@quan/auth';
import { CategoryDto, CountyDto } from './reference.dto';
import { ReferenceService } from './reference.service';

@ApiTags('reference')
@Public()
@Controller()
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('counties')
  @ApiOkResponse({ type: [CountyDto] })
  async counties(): Promise<CountyDto[]> {
    return (await this.reference.listCounties()).map(CountyDto.from);
  }

  @Get('counties/:code')
  @ApiOkResponse({ type: CountyDto })
  @ApiNotFoundResponse({ description: 'COUNTY_NOT_FOUND' })
  async county(@Param('code') code: string): Promise<CountyDto> {
    return CountyDto.from(await this.reference.getCounty(code));
  }

  @Get('categories')
  @ApiOkResponse({ type: [CategoryDto] })
  async categories(): Promise<CategoryDto[]> {
    return (await this.reference.listCategories()).map(CategoryDto.from);
  }
}
