import { Processor } from '@nestjs/bullmq';
import { Job } from 'bullmq';
import { assertUnreachable, previousBusinessDay } from '@quan/domain';
import { JobPayloads, QueueName, SettlementJob } from '@quan/data';
import { ReportFolder } from '@quan/reports';
import { RiskScorer } from '@quan/risk';
import { RunTracker, SettlementOutcome, SettlementRun } from '@quan/settlement';
import { isLastAttempt, MeteredProcessor } from './metered-processor';
import { WorkerMetrics } from './worker-metrics';

type SettlementJobData = JobPayloads[SettlementJob];

/**
 * The settlement queue: the daily run (T+1) and the redemptions and reversals relayed from the outbox.
 * A redemption needs nothing for settlement before its day is settled (the daily run takes the whole day
 * set-based); a reversal of a redemption already on a statement becomes its adjustment at once. Both are
 * folded into the reports' and the risk aggregates as they arrive. Every handler is
 * idempotent, so a job retried after a crash, or relayed twice, changes nothing the second time.
 */
@Processor(QueueName.Settlement, { concurrency: 4 })
export class SettlementProcessor extends MeteredProcessor {
  constructor(
    private readonly run: SettlementRun,
    private readonly runs: RunTracker,
    private readonly reports: ReportFolder,
    private readonly risk: RiskScorer,
    metrics: WorkerMetrics,
  ) {
    super(QueueName.Settlement, metrics);
  }

  process(
    job: Job<SettlementJobData, unknown, SettlementJob>,
  ): Promise<SettlementOutcome | { adjustments?: number; folded: number } | null> {
    return this.timed(job, async () => {
      switch (job.name) {
        case SettlementJob.SettleDay: {
          const { businessDay: day, runId } = job.data as JobPayloads[SettlementJob.SettleDay];
          // A scheduled run settles the day before the one it was due in, even when it runs late or is retried.
          const settle = () =>
            this.run.settleDay(day ?? previousBusinessDay(new Date(job.timestamp + (job.opts.delay ?? 0))));
          return runId ? this.runs.track(runId, isLastAttempt(job), settle) : settle();
        }
        case SettlementJob.Redeemed: {
          const event = job.data as JobPayloads[SettlementJob.Redeemed];
          await this.risk.fold([{ redemptionId: event.redemptionId, kind: 'redeemed' }]);
          return { folded: await this.reports.fold([{ redemptionId: event.redemptionId, kind: 'redeemed' }]) };
        }
        case SettlementJob.Reversed: {
          const event = job.data as JobPayloads[SettlementJob.Reversed];
          const adjustments = await this.run.adjustReversal(event.redemptionId, event.merchantId, event.businessDay);
          await this.risk.fold([{ redemptionId: event.redemptionId, kind: 'reversed' }]);
          return {
            adjustments,
            folded: await this.reports.fold([{ redemptionId: event.redemptionId, kind: 'reversed' }]),
          };
        }
        default:
          return assertUnreachable(job.name);
      }
    });
  }
}
