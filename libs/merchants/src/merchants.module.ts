import { Module } from '@nestjs/common';
import { MerchantDirectoryController } from './merchant-directory.controller';
import { MerchantDirectory } from './merchant-directory.service';
import { MerchantStaffService } from './merchant-staff.service';
import { MerchantsController } from './merchants.controller';
import { MerchantsService } from './merchants.service';

/** The merchant registry: enrolment, review, suspension, each merchant's cashiers, and the residents' directory. */
@Module({
  controllers: [MerchantsController, MerchantDirectoryController],
  providers: [MerchantsService, MerchantStaffService, MerchantDirectory],
})
export class MerchantsModule {}
