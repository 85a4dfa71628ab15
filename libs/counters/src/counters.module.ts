import { Global, Module } from '@nestjs/common';
import { CampaignCounters } from './campaign-counters';
import { ClaimCounters } from './claim-counters';
import { RedemptionCounters } from './redemption-counters';
import { RegistrationCounters } from './registration-counters';

/** The Redis counters of campaigns, for the features of the api and the worker (needs RedisModule). */
@Global()
@Module({
  providers: [CampaignCounters, ClaimCounters, RedemptionCounters, RegistrationCounters],
  exports: [CampaignCounters, ClaimCounters, RedemptionCounters, RegistrationCounters],
})
export class CountersModule {}
