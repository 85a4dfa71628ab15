import { Body, Controller, Get, Param, Patch, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentStaff, PublicAccess, StaffAccess, StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { ErrorCode } from '@quan/domain';
import { Created } from '@quan/platform';
import {
  CategoryChangesDto,
  CategoryDto,
  CountyChangesDto,
  CountyDto,
  NewCategoryDto,
  NewCountyDto,
} from './reference.dto';
import { ReferenceService } from './reference.service';

const EDITORS = [StaffRole.CityAdmin];

/** Reads are public (the resident app shows them); only city admins edit. */
@ApiTags('reference')
@Controller()
export class ReferenceController {
  constructor(private readonly reference: ReferenceService) {}

  @Get('counties')
  @ApiOperation({ summary: 'List the county-level units and functional zones' })
  @PublicAccess()
  @ApiOkResponse({ type: [CountyDto] })
  async counties(): Promise<CountyDto[]> {
    return (await this.reference.listCounties()).map(CountyDto.from);
  }

  @Get('counties/:code')
  @ApiOperation({ summary: 'A county by its code' })
  @PublicAccess(ErrorCode.CountyNotFound)
  @ApiOkResponse({ type: CountyDto })
  async county(@Param('code') code: string): Promise<CountyDto> {
    return CountyDto.from(await this.reference.getCounty(code));
  }

  @Post('counties')
  @StaffAccess(EDITORS, ErrorCode.ValidationFailed, ErrorCode.AlreadyExists)
  @ApiOperation({ summary: 'Add a county-level unit or functional zone' })
  @Created(CountyDto, (county) => `/counties/${county.code}`)
  createCounty(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewCountyDto): Promise<CountyDto> {
    return this.reference.createCounty(principal, body);
  }

  @Patch('counties/:code')
  @StaffAccess(EDITORS, ErrorCode.ValidationFailed, ErrorCode.CountyNotFound, ErrorCode.AlreadyExists)
  @ApiOperation({ summary: 'Rename, re-classify or re-order a county (its code is permanent)' })
  @ApiOkResponse({ type: CountyDto })
  updateCounty(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('code') code: string,
    @Body() body: CountyChangesDto,
  ): Promise<CountyDto> {
    return this.reference.updateCounty(principal, code, body);
  }

  @Get('categories')
  @ApiOperation({ summary: 'List the merchant categories' })
  @PublicAccess()
  @ApiOkResponse({ type: [CategoryDto] })
  async categories(): Promise<CategoryDto[]> {
    return (await this.reference.listCategories()).map(CategoryDto.from);
  }

  @Get('categories/:code')
  @ApiOperation({ summary: 'A merchant category by its code' })
  @PublicAccess(ErrorCode.CategoryNotFound)
  @ApiOkResponse({ type: CategoryDto })
  async category(@Param('code') code: string): Promise<CategoryDto> {
    return CategoryDto.from(await this.reference.getCategory(code));
  }

  @Post('categories')
  @StaffAccess(EDITORS, ErrorCode.ValidationFailed, ErrorCode.AlreadyExists)
  @ApiOperation({ summary: 'Add a merchant category' })
  @Created(CategoryDto, (category) => `/categories/${category.code}`)
  createCategory(@CurrentStaff() principal: StaffPrincipal, @Body() body: NewCategoryDto): Promise<CategoryDto> {
    return this.reference.createCategory(principal, body);
  }

  @Patch('categories/:code')
  @StaffAccess(EDITORS, ErrorCode.ValidationFailed, ErrorCode.CategoryNotFound, ErrorCode.AlreadyExists)
  @ApiOperation({ summary: 'Rename or re-order a category (its code is permanent)' })
  @ApiOkResponse({ type: CategoryDto })
  updateCategory(
    @CurrentStaff() principal: StaffPrincipal,
    @Param('code') code: string,
    @Body() body: CategoryChangesDto,
  ): Promise<CategoryDto> {
    return this.reference.updateCategory(principal, code, body);
  }
}
