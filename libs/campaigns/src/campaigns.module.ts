import { Module } from '@nestjs/common';
import { CampaignClock } from './campaign-clock';
import { CampaignLifecycleService } from './campaign-lifecycle.service';
import { CampaignWriter } from './campaign-writer';
import { RollForward } from './roll-forward';
import { CampaignsController } from './campaigns.controller';
import { CampaignsService } from './campaigns.service';

/** Campaign configuration, approval and lifecycle (the api). */
@Module({
  controllers: [CampaignsController],
  providers: [CampaignWriter, CampaignsService, CampaignLifecycleService, CampaignClock],
  exports: [CampaignClock],
})
export class CampaignsModule {}

/** The campaign clock and expiry with roll-forward, for the worker (no controllers). */
@Module({
  providers: [CampaignWriter, CampaignClock, RollForward],
  exports: [CampaignClock, RollForward],
})
export class CampaignClockModule {}
