import { Module } from '@nestjs/common';
import { RedemptionWriter } from './redemption-writer';
import { RedemptionsController } from './redemptions.controller';
import { RedemptionsService } from './redemptions.service';
import { SubjectLoader } from './subject-loader';

@Module({
  controllers: [RedemptionsController],
  providers: [RedemptionsService, RedemptionWriter, SubjectLoader],
})
export class RedemptionsModule {}
