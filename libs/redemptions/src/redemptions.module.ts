import { Module } from '@nestjs/common';
import { QrTokens } from './qr-tokens';
import { RedemptionDecider } from './redemption-decider';
import { RedemptionQueries } from './redemption-queries';
import { RedemptionWriter } from './redemption-writer';
import { RedemptionsController } from './redemptions.controller';
import { Reversals } from './reversals';
import { SubjectLoader } from './subject-loader';

@Module({
  controllers: [RedemptionsController],
  providers: [RedemptionDecider, Reversals, RedemptionQueries, QrTokens, RedemptionWriter, SubjectLoader],
})
export class RedemptionsModule {}
