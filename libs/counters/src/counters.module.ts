import { Global, Module } from '@nestjs/common';
import { CampaignCounters } from './campaign-counters';
import { ClaimCounters } from './claim-counters';
import { CounterRuns } from './counter-runs';
import { RedemptionCounters } from './redemption-counters';
import { RegistrationCounters } from './registration-counters';

/** The Redis counters of campaigns, for the features of the api and the worker (needs RedisModule). */
@Global()
@Module({
  providers: [CampaignCounters, ClaimCounters, CounterRuns, RedemptionCounters, RegistrationCounters],
  exports: [CampaignCounters, ClaimCounters, CounterRuns, RedemptionCounters, RegistrationCounters],
})
export class CountersModule {}
