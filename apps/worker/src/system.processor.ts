import { Processor } from '@nestjs/bullmq';
import { Inject } from '@nestjs/common';
import { Job } from 'bullmq';
import { DataSource } from 'typeorm';
import { CampaignClock, ClockTransition, RollForward, RollForwardOutcome } from '@quan/campaigns';
import { assertUnreachable } from '@quan/domain';
import { JobPayloads, QueueName, REDIS, RedisClient, RedisKeys, SystemJob } from '@quan/data';
import { LotteryDraws, LotteryTick } from '@quan/lottery';
import { anchorAuditChain, AuditAnchor } from '@quan/platform';
import { ReportFolder } from '@quan/reports';
import { RiskScorer, ScoreOutcome } from '@quan/risk';
import { Reconciliation, RunTracker } from '@quan/settlement';
import { isLastAttempt, MeteredProcessor } from './metered-processor';
import { OutboxRelay } from './outbox-relay';
import { WorkerMetrics } from './worker-metrics';

type SystemJobData = JobPayloads[SystemJob];
const REPORTS_CATCH_UP_MS = 2000;
const RISK_BUDGET_MS = 2000;
type SystemJobResult = {
  at: string;
  transitions?: ClockTransition[];
  lottery?: LotteryTick;
  relayed?: number;
  ok?: boolean;
  rolled?: RollForwardOutcome;
  anchored?: AuditAnchor | null;
  reports?: { folded: number; claimRows: number };
  risk?: ScoreOutcome & { folded: number };
};

/**
 * Jobs of the system queue. The heartbeat records that this worker is taking jobs off the queues,
 * so operators can tell a stuck worker from an idle one; the campaign clock starts and ends campaigns;
 * the lottery job commits to seeds and draws lottery rounds; the outbox relay feeds the settlement queue; expiry rolls value forward;
 * the reconciliation checks the books; the audit anchor writes the audit chain's head into the log; the reports job
 * counts committed claims; the risk job scores what changed.
 */
@Processor(QueueName.System)
export class SystemProcessor extends MeteredProcessor {
  constructor(
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly keys: RedisKeys,
    private readonly clock: CampaignClock,
    private readonly relay: OutboxRelay,
    private readonly reconciliation: Reconciliation,
    private readonly rollForward: RollForward,
    private readonly runs: RunTracker,
    private readonly dataSource: DataSource,
    private readonly reports: ReportFolder,
    private readonly risk: RiskScorer,
    private readonly lottery: LotteryDraws,
    metrics: WorkerMetrics,
  ) {
    super(QueueName.System, metrics);
  }

  process(job: Job<SystemJobData, unknown, SystemJob>): Promise<SystemJobResult> {
    return this.timed(job, async () => {
      const at = new Date().toISOString();
      switch (job.name) {
        case SystemJob.Heartbeat:
          await this.redis.set(
            this.keys.key('worker', 'heartbeat'),
            JSON.stringify({ at, pid: process.pid }),
            'EX',
            300,
          );
          return { at };
        case SystemJob.CampaignClock:
          return { at, transitions: await this.clock.tick() };
        case SystemJob.Lottery:
          return { at, lottery: await this.lottery.tick() };
        case SystemJob.OutboxRelay:
          return { at, relayed: await this.relay.relay() };
        case SystemJob.Expiry:
          return { at, rolled: await this.rollForward.run() };
        case SystemJob.Reports:
          // A first catch-up over many redemptions or claims goes on over several runs: other jobs keep pace.
          return {
            at,
            reports: {
              folded: await this.reports.catchUp(false, REPORTS_CATCH_UP_MS),
              claimRows: await this.reports.foldClaims(undefined, REPORTS_CATCH_UP_MS),
            },
          };
        case SystemJob.Risk: {
          // Each part keeps to its budget and goes on at the next run, so a large first catch-up spreads out.
          // Scoring waits for the first catch-up: a day folded half-way would be scored again and again.
          const folded = await this.risk.catchUp(false, RISK_BUDGET_MS);
          const scored = (await this.risk.caughtUp())
            ? await this.risk.score(RISK_BUDGET_MS)
            : { merchantDays: 0, flags: 0 };
          return { at, risk: { folded, ...scored } };
        }
        case SystemJob.AuditAnchor:
          return { at, anchored: await this.dataSource.transaction(anchorAuditChain) };
        case SystemJob.Reconciliation: {
          const { runId } = job.data as JobPayloads[SystemJob.Reconciliation];
          const reconcile = async () => {
            const report = await this.reconciliation.run();
            return { reportId: report.id, ok: report.ok, differences: report.differences.length };
          };
          const outcome = runId ? await this.runs.track(runId, isLastAttempt(job), reconcile) : await reconcile();
          return { at, ok: outcome?.ok };
        }
        default:
          return assertUnreachable(job.name);
      }
    });
  }
}
