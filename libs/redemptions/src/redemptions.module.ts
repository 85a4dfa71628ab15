import { Module } from '@nestjs/common';
import { RedemptionWriter } from './redemption-writer';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsService } from './redemptions.service';

@Module({
  controllers: [RedemptionsController],
  providers: [RedemptionsService, RedemptionWriter],
})
export class RedemptionsModule {}
