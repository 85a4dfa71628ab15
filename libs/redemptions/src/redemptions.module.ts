import { Module } from '@nestjs/common';
import { RedemptionWriter } from './redemption-writer';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsService } from './redemptions.service';
import { VoucherTokens } from './voucher-tokens';

@Module({
  controllers: [RedemptionsController],
  providers: [RedemptionsService, RedemptionWriter, VoucherTokens],
  exports: [VoucherTokens],
})
export class RedemptionsModule {}
