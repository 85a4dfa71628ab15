import { Counter, Histogram, Registry } from 'prom-client';
import { createMetricsRegistry } from '@quan/platform';

/** The worker's Prometheus figures: process metrics plus job outcomes and durations by queue and job. */
export class WorkerMetrics {
  readonly registry: Registry = createMetricsRegistry('worker');

  readonly jobs = new Counter({
    name: 'worker_jobs_total',
    help: 'Jobs finished, by queue, job name and outcome',
    labelNames: ['queue', 'job', 'outcome'],
    registers: [this.registry],
  });

  readonly jobDuration = new Histogram({
    name: 'worker_job_duration_seconds',
    help: 'Job processing time, by queue and job name',
    labelNames: ['queue', 'job'],
    buckets: [0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
    registers: [this.registry],
  });
}
