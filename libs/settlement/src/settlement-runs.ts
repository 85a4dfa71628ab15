import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { DataSource, In } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { businessDay, DomainError, ErrorCode } from '@quan/domain';
import {
  JobPayloads,
  QueueName,
  RunKind,
  runJobId,
  RunStatus,
  SettlementJob,
  SettlementRunRecord,
  SystemJob,
} from '@quan/data';
import { recordAudit, SYSTEM_ACTOR } from '@quan/platform';
import { NewRunDto, ReconciliationOutcomeDto, RunDto, SettledDayOutcomeDto } from './settlement.dto';

const ACTIVE = [RunStatus.Queued, RunStatus.Running];

const toDto = (run: SettlementRunRecord): RunDto => ({
  id: run.id,
  kind: run.kind,
  businessDay: run.businessDay,
  status: run.status,
  requestedById: run.requestedById,
  requestedAt: run.requestedAt.toISOString(),
  startedAt: run.startedAt?.toISOString() ?? null,
  finishedAt: run.finishedAt?.toISOString() ?? null,
  settled:
    run.kind === RunKind.SettleDay && run.status === RunStatus.Succeeded ? (run.outcome as SettledDayOutcomeDto) : null,
  reconciliation:
    run.kind === RunKind.Reconciliation && run.status === RunStatus.Succeeded
      ? (run.outcome as ReconciliationOutcomeDto)
      : null,
  error: run.error,
});

/** Ends a run that is still queued or running, audited as the system's doing, in one transaction. */
function finishRun(
  dataSource: DataSource,
  runId: string,
  action: string,
  end: Partial<SettlementRunRecord>,
): Promise<void> {
  return dataSource.transaction(async (manager) => {
    const run = await manager.findOne(SettlementRunRecord, {
      where: { id: runId, status: In(ACTIVE) },
      lock: { mode: 'pessimistic_write' },
    });
    if (!run) return;
    await manager.update(SettlementRunRecord, runId, end);
    const after = await manager.findOneByOrFail(SettlementRunRecord, { id: runId });
    await recordAudit(manager, SYSTEM_ACTOR, {
      action,
      entityType: 'settlement_run',
      entityId: runId,
      before: toDto(run),
      after: toDto(after),
    });
  });
}

/**
 * Runs finance asks for: the settlement of a past business day, or the reconciliation, executed by the
 * worker like the nightly ones. A run's natural key is its subject (the kind and the day): while one is
 * queued or running, asking again answers it (uq_settlement_runs_active) and adds no job; once it has
 * finished, a new run may be asked for, and since both kinds of work are idempotent it adds nothing the
 * first one did. The job id is the run's, so re-adding the job of a run (a retried request after Redis
 * failed at the add) never queues it twice.
 */
@Injectable()
export class SettlementRuns {
  constructor(
    private readonly dataSource: DataSource,
    @InjectQueue(QueueName.Settlement) private readonly settlement: Queue<JobPayloads[SettlementJob.SettleDay]>,
    @InjectQueue(QueueName.System) private readonly system: Queue<JobPayloads[SystemJob.Reconciliation]>,
  ) {}

  async request(principal: StaffPrincipal, body: NewRunDto): Promise<RunDto> {
    const day = body.kind === RunKind.SettleDay ? body.businessDay! : null;
    const today = businessDay(new Date());
    if (day !== null && day >= today) {
      throw new DomainError(
        ErrorCode.BusinessDayNotOver,
        `Only a business day before today (${today}) can be settled`,
        { today },
      );
    }
    for (;;) {
      const run = await this.activeOrNew(principal, body.kind, day);
      const queue = run.kind === RunKind.SettleDay ? this.settlement : this.system;
      // A job that failed without its run hearing of it (it stalled past BullMQ's limit, its worker killed
      // each time) would hold the subject forever: the run is closed as failed and a new one made.
      const job = await queue.getJob(runJobId(run.id));
      if (job && (await job.isFailed())) {
        await finishRun(this.dataSource, run.id, 'settlement.run.fail', {
          status: RunStatus.Failed,
          finishedAt: new Date(),
          error: job.failedReason || 'its job failed',
        });
        continue;
      }
      // After the commit, so the worker finds the run; on every request, so one whose add failed is queued now.
      if (run.kind === RunKind.SettleDay) {
        await this.settlement.add(
          SettlementJob.SettleDay,
          { businessDay: run.businessDay!, runId: run.id },
          { jobId: runJobId(run.id) },
        );
      } else {
        await this.system.add(
          SystemJob.Reconciliation,
          { scheduledBy: 'api', runId: run.id },
          { jobId: runJobId(run.id) },
        );
      }
      return toDto(run);
    }
  }

  async get(id: string): Promise<RunDto> {
    const run = await this.dataSource.getRepository(SettlementRunRecord).findOneBy({ id });
    if (!run) throw new DomainError(ErrorCode.SettlementRunNotFound, 'No such run');
    return toDto(run);
  }

  /** The queued or running run of this subject, or a new one (audited); a run finishing meanwhile makes room for the new one. */
  private async activeOrNew(
    principal: StaffPrincipal,
    kind: RunKind,
    day: string | null,
  ): Promise<SettlementRunRecord> {
    const subject = day === null ? kind : `${kind}:${day}`;
    for (;;) {
      const run = await this.dataSource.transaction(async (manager) => {
        const [created]: { id: string }[] = await manager.query(
          `INSERT INTO settlement_runs (kind, business_day, subject, requested_by_id) VALUES ($1, $2, $3, $4)
           ON CONFLICT (subject) WHERE status IN ('queued', 'running') DO NOTHING RETURNING id`,
          [kind, day, subject, principal.id],
        );
        if (!created) return manager.findOneBy(SettlementRunRecord, { subject, status: In(ACTIVE) });
        const fresh = await manager.findOneByOrFail(SettlementRunRecord, { id: created.id });
        await recordAudit(manager, principal, {
          action: 'settlement.run.request',
          entityType: 'settlement_run',
          entityId: fresh.id,
          before: null,
          after: toDto(fresh),
        });
        return fresh;
      });
      if (run) return run;
    }
  }
}

/**
 * The worker's side of a run asked for through the API: marks it running, records the outcome and marks it
 * succeeded, or records the error and marks it failed after the job's last attempt. The end of a run is
 * audited by the system, in the same transaction. A run already finished (a job delivered again, or one the
 * api closed after its job failed unheard) is not run again.
 */
@Injectable()
export class RunTracker {
  constructor(private readonly dataSource: DataSource) {}

  async track<T extends object>(runId: string, lastAttempt: boolean, work: () => Promise<T>): Promise<T | null> {
    // An UPDATE answers [rows, count] through TypeORM's query().
    const [started]: [unknown[], number] = await this.dataSource.query(
      `UPDATE settlement_runs SET status = 'running', started_at = coalesce(started_at, now()) WHERE id = $1 AND status IN ('queued', 'running') RETURNING id`,
      [runId],
    );
    if (started.length === 0) return null;
    try {
      const outcome = await work();
      await finishRun(this.dataSource, runId, 'settlement.run.succeed', {
        status: RunStatus.Succeeded,
        finishedAt: new Date(),
        outcome,
        error: null,
      });
      return outcome;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      if (lastAttempt) {
        await finishRun(this.dataSource, runId, 'settlement.run.fail', {
          status: RunStatus.Failed,
          finishedAt: new Date(),
          error: message,
        });
      } else {
        await this.dataSource.getRepository(SettlementRunRecord).update(runId, { error: message });
      }
      throw error;
    }
  }
}
