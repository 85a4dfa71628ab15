import { InjectQueue } from '@nestjs/bullmq';
import { Injectable } from '@nestjs/common';
import { Queue } from 'bullmq';
import { Counter, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { QueueName } from '@quan/data';
import { CampaignStatus } from '@quan/domain';
import { Metrics } from '@quan/platform';

/** The worker's Prometheus figures: process metrics plus job outcomes and durations by queue and job. */
@Injectable()
export class WorkerMetrics {
  readonly registry: Registry;
  readonly jobs: Counter<'queue' | 'job' | 'outcome'>;
  readonly jobDuration: Histogram<'queue' | 'job'>;

  constructor(metrics: Metrics) {
    this.registry = metrics.registry;
    this.jobs = new Counter({
      name: 'worker_jobs_total',
      help: 'Jobs finished, by queue, job name and outcome',
      labelNames: ['queue', 'job', 'outcome'],
      registers: [this.registry],
    });
    this.jobDuration = metrics.histogram(
      'worker_job_duration_seconds',
      'Job processing time, by queue and job name',
      ['queue', 'job'],
      [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    );
  }
}

const QUEUE_STATES = ['waiting', 'active', 'delayed', 'failed', 'completed'] as const;

/**
 * What an operator watches besides the jobs, read from Postgres and Redis when Prometheus scrapes (one
 * short query each, every scrape interval): queue depths, outbox lag, the settlement's progress, the
 * latest reconciliation and the budget used by each running campaign.
 */
@Injectable()
export class OperationsGauges {
  constructor(
    metrics: Metrics,
    dataSource: DataSource,
    @InjectQueue(QueueName.System) system: Queue,
    @InjectQueue(QueueName.Settlement) settlement: Queue,
  ) {
    metrics.gauge('quan_queue_jobs', 'Jobs in each queue by state', ['queue', 'state'], async (gauge) => {
      for (const queue of [system, settlement]) {
        const counts = await queue.getJobCounts(...QUEUE_STATES);
        for (const state of QUEUE_STATES) gauge.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    });
    metrics.gauge(
      'quan_outbox_lag_seconds',
      'Age of the oldest outbox row not yet relayed to the settlement queue (0: none)',
      [],
      async (gauge) => {
        const [row] = (await dataSource.query(
          `SELECT extract(epoch FROM now() - created_at)::float8 AS lag FROM outbox WHERE relayed_at IS NULL ORDER BY id LIMIT 1`,
        )) as { lag: number }[];
        gauge.set(row?.lag ?? 0);
      },
    );
    metrics.gauge(
      'quan_settlement_days_behind',
      'Business days (Asia/Shanghai) between yesterday and the last settled day (0: up to date)',
      [],
      async (gauge) => {
        const [row] = (await dataSource.query(
          `SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date - 1 - max(business_day) AS behind FROM settled_days`,
        )) as { behind: number | null }[];
        gauge.set(Math.max(row?.behind ?? 0, 0));
      },
    );
    metrics.gauge(
      'quan_reconciliation_differences',
      'Differences found by the latest reconciliation (0: none, or never run)',
      [],
      async (gauge) => {
        const [row] = (await dataSource.query(
          `SELECT jsonb_array_length(differences) AS n FROM reconciliation_reports ORDER BY id DESC LIMIT 1`,
        )) as { n: number }[];
        gauge.set(row?.n ?? 0);
      },
    );
    metrics.gauge(
      'quan_campaign_subsidy_used_fen',
      'Subsidy of redemptions not reversed of each running campaign, in fen',
      ['campaign_id', 'campaign'],
      async (gauge) => {
        const rows = (await dataSource.query(
          `SELECT c.id, c.name, c.budget_fen::float8 AS budget, coalesce(s.redeemed_subsidy_fen, 0)::float8 AS used
           FROM campaigns c LEFT JOIN campaign_spend s ON s.campaign_id = c.id
          WHERE c.status = $1`,
          [CampaignStatus.Running],
        )) as { id: string; name: string; budget: number; used: number }[];
        // Ended campaigns drop out of both gauges.
        gauge.reset();
        budget.reset();
        for (const row of rows) {
          gauge.set({ campaign_id: row.id, campaign: row.name }, row.used);
          budget.set({ campaign_id: row.id, campaign: row.name }, row.budget);
        }
      },
    );
    // Set by the gauge above, which Prometheus reads first (registration order).
    const budget = metrics.gauge(
      'quan_campaign_budget_fen',
      'Budget of each running campaign, in fen',
      ['campaign_id', 'campaign'],
      () => undefined,
    );
  }
}
