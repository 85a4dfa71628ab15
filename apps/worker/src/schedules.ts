import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@quan/config';
import { BUSINESS_TIME_ZONE } from '@quan/domain';
import { JobPayloads, QueueName, SystemJob } from '@quan/data';

/**
 * Registers the recurring jobs as BullMQ job schedulers. upsertJobScheduler is idempotent, so every
 * worker replica can do this at start-up and each job still runs once per period.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(Schedules.name);

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.System) private readonly system: Queue<JobPayloads[SystemJob]>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.system.upsertJobScheduler(
      SystemJob.Heartbeat,
      { every: this.config.WORKER_HEARTBEAT_MS },
      { name: SystemJob.Heartbeat, data: { scheduledBy: 'worker' } },
    );
    await this.system.upsertJobScheduler(
      SystemJob.CampaignClock,
      { every: this.config.CAMPAIGN_CLOCK_MS },
      { name: SystemJob.CampaignClock, data: { scheduledBy: 'worker' } },
    );
    this.logger.log(
      { timeZone: BUSINESS_TIME_ZONE, heartbeatMs: this.config.WORKER_HEARTBEAT_MS, campaignClockMs: this.config.CAMPAIGN_CLOCK_MS },
      'job schedulers registered',
    );
  }
}
