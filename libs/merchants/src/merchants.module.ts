import { Module } from '@nestjs/common';
import { MerchantStaffService } from './merchant-staff.service';
import { MerchantsController } from './merchants.controller';
import { MerchantsService } from './merchants.service';

/** The merchant registry: enrolment, review, suspension, and each merchant's cashiers. */
@Module({
  controllers: [MerchantsController],
  providers: [MerchantsService, MerchantStaffService],
})
export class MerchantsModule {}
