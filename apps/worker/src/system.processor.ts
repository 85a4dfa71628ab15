import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import Redis from 'ioredis';
import { CampaignClock, ClockTransition } from '@quan/campaigns';
import { assertUnreachable } from '@quan/domain';
import { JobPayloads, QueueName, REDIS, RedisKeys, SystemJob } from '@quan/data';
import { WorkerMetrics } from './worker-metrics';

type SystemJobData = JobPayloads[SystemJob];

/**
 * Jobs of the system queue. The heartbeat records that this worker is taking jobs off the queues,
 * so operators can tell a stuck worker from an idle one; the campaign clock starts and ends campaigns.
 */
@Processor(QueueName.System)
export class SystemProcessor extends WorkerHost {
  private readonly logger = new Logger(SystemProcessor.name);

  constructor(
    @Inject(REDIS) private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly metrics: WorkerMetrics,
    private readonly clock: CampaignClock,
  ) {
    super();
  }

  async process(job: Job<SystemJobData, unknown, SystemJob>): Promise<{ at: string; transitions?: ClockTransition[] }> {
    const stop = this.metrics.jobDuration.startTimer({ queue: QueueName.System, job: job.name });
    try {
      switch (job.name) {
        case SystemJob.Heartbeat: {
          const at = new Date().toISOString();
          await this.redis.set(this.keys.key('worker', 'heartbeat'), JSON.stringify({ at, pid: process.pid }), 'EX', 300);
          return { at };
        }
        case SystemJob.CampaignClock:
          return { at: new Date().toISOString(), transitions: await this.clock.tick() };
        default:
          return assertUnreachable(job.name);
      }
    } finally {
      stop();
    }
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.metrics.jobs.inc({ queue: QueueName.System, job: job.name, outcome: 'completed' });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.metrics.jobs.inc({ queue: QueueName.System, job: job?.name ?? 'unknown', outcome: 'failed' });
    this.logger.error({ jobId: job?.id, jobName: job?.name, err: error.message }, 'job failed');
  }
}
