import { OnWorkerEvent, WorkerHost } from '@nestjs/bullmq';
import { Logger } from '@nestjs/common';
import { Job } from 'bullmq';
import { QueueName } from '@quan/data';
import { inJobSpan } from '@quan/platform';
import { WorkerMetrics } from './worker-metrics';

/** Whether a failure of this attempt is the job's last (BullMQ will not try it again). */
export const isLastAttempt = (job: Job): boolean => job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/** A queue's processor that counts its jobs' outcomes and times them (worker_jobs_total, worker_job_duration_seconds). */
export abstract class MeteredProcessor extends WorkerHost {
  private readonly logger: Logger;

  protected constructor(
    private readonly queue: QueueName,
    private readonly metrics: WorkerMetrics,
  ) {
    super();
    this.logger = new Logger(`${queue} processor`);
  }

  /**
   * Runs `work` for `job`, timed, and (while tracing is on) in a span continuing the trace whose
   * traceparent the job's data carries (an outbox message's, i.e. the request's that wrote it).
   */
  protected async timed<T>(job: Job, work: () => Promise<T>): Promise<T> {
    const stop = this.metrics.jobDuration.startTimer({ queue: this.queue, job: job.name });
    try {
      return await inJobSpan(`${this.queue} ${job.name}`, (job.data as { trace?: string } | undefined)?.trace, work);
    } finally {
      stop();
    }
  }

  @OnWorkerEvent('completed')
  onCompleted(job: Job): void {
    this.metrics.jobs.inc({ queue: this.queue, job: job.name, outcome: 'completed' });
  }

  @OnWorkerEvent('failed')
  onFailed(job: Job | undefined, error: Error): void {
    this.metrics.jobs.inc({ queue: this.queue, job: job?.name ?? 'unknown', outcome: 'failed' });
    this.logger.error({ jobId: job?.id, jobName: job?.name, err: error.message }, 'job failed');
  }
}
