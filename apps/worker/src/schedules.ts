import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Queue } from 'bullmq';
import { AppConfig } from '@quan/config';
import { BUSINESS_TIME_ZONE } from '@quan/domain';
import { JobPayloads, QueueName, SettlementJob, SystemJob } from '@quan/data';

/**
 * Registers the recurring jobs as BullMQ job schedulers. upsertJobScheduler is idempotent, so every
 * worker replica can do this at start-up and each job still runs once per period. Daily work follows
 * cron patterns in Asia/Shanghai, whatever the machine's time zone.
 */
@Injectable()
export class Schedules implements OnApplicationBootstrap {
  private readonly logger = new Logger(Schedules.name);

  constructor(
    private readonly config: AppConfig,
    @InjectQueue(QueueName.System) private readonly system: Queue<JobPayloads[SystemJob]>,
    @InjectQueue(QueueName.Settlement) private readonly settlement: Queue<JobPayloads[SettlementJob.SettleDay]>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const every: [SystemJob, number][] = [
      [SystemJob.Heartbeat, this.config.WORKER_HEARTBEAT_MS],
      [SystemJob.CampaignClock, this.config.CAMPAIGN_CLOCK_MS],
      [SystemJob.Lottery, this.config.CAMPAIGN_CLOCK_MS],
      [SystemJob.OutboxRelay, this.config.OUTBOX_RELAY_MS],
      [SystemJob.Reports, this.config.OUTBOX_RELAY_MS],
      [SystemJob.Risk, this.config.OUTBOX_RELAY_MS],
      [SystemJob.Expiry, this.config.EXPIRY_MS],
      [SystemJob.AuditAnchor, this.config.AUDIT_ANCHOR_MS],
    ];
    for (const [job, ms] of every)
      await this.system.upsertJobScheduler(job, { every: ms }, { name: job, data: { scheduledBy: 'worker' } });
    await this.system.upsertJobScheduler(
      SystemJob.Reconciliation,
      { pattern: this.config.RECONCILIATION_CRON, tz: BUSINESS_TIME_ZONE },
      { name: SystemJob.Reconciliation, data: { scheduledBy: 'worker' } },
    );
    await this.settlement.upsertJobScheduler(
      SettlementJob.SettleDay,
      { pattern: this.config.SETTLEMENT_CRON, tz: BUSINESS_TIME_ZONE },
      { name: SettlementJob.SettleDay, data: {} },
    );
    this.logger.log(
      {
        timeZone: BUSINESS_TIME_ZONE,
        heartbeatMs: this.config.WORKER_HEARTBEAT_MS,
        campaignClockMs: this.config.CAMPAIGN_CLOCK_MS,
        outboxRelayMs: this.config.OUTBOX_RELAY_MS,
        expiryMs: this.config.EXPIRY_MS,
        auditAnchorMs: this.config.AUDIT_ANCHOR_MS,
        settlementCron: this.config.SETTLEMENT_CRON,
        reconciliationCron: this.config.RECONCILIATION_CRON,
      },
      'job schedulers registered',
    );
  }
}
