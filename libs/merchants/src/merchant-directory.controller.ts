import { Controller, Get, Header, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PublicAccess } from '@quan/auth';
import { ErrorCode } from '@quan/domain';
import { MerchantDirectory } from './merchant-directory.service';
import { MerchantDirectoryPageDto, MerchantDirectoryQueryDto } from './merchants.dto';

@ApiTags('merchants')
@Controller('merchant-directory')
export class MerchantDirectoryController {
  constructor(private readonly directory: MerchantDirectory) {}

  @Get()
  @PublicAccess(ErrorCode.ValidationFailed)
  // Merchants change by review, a few a day: a minute's cache spares the api the residents' browsing.
  @Header('Cache-Control', 'public, max-age=60')
  @ApiOperation({
    summary: 'Where to spend: approved merchants by county, category and name, without personal or bank data',
  })
  @ApiOkResponse({ type: MerchantDirectoryPageDto })
  list(@Query() query: MerchantDirectoryQueryDto): Promise<MerchantDirectoryPageDto> {
    return this.directory.list(query);
  }
}
