import { DynamicModule, Global, Inject, Injectable, Module } from '@nestjs/common';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DataSource } from 'typeorm';
import { REDIS, RedisClient } from '@quan/data';
import { checkReadiness } from '../health/readiness';

/** A Prometheus registry with the process figures (CPU, memory, event loop lag, GC) of one service. */
export function createMetricsRegistry(service: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/** Request latency by method, route pattern (never the raw URL, so ids do not explode the label set) and status. */
export function createHttpDurationHistogram(registry: Registry): Histogram<'method' | 'route' | 'status_code'> {
  return new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
}

/** Problem answers by route and `code`: the claim refusals (sold out, limit reached …) and every other 4xx/5xx. */
export function createProblemCounter(registry: Registry): Counter<'route' | 'code'> {
  return new Counter({
    name: 'http_problems_total',
    help: 'problem+json answers by route and error code',
    labelNames: ['route', 'code'],
    registers: [registry],
  });
}

/**
 * The metrics of one process (api or worker), one registry each, so two apps booted in one test process
 * do not share figures. Modules add their own figures here; figures a module computes from Postgres or
 * Redis are gauges measured when Prometheus scrapes (`collect`), so they cost nothing between scrapes.
 */
@Injectable()
export class Metrics {
  readonly registry: Registry;

  constructor(service: string) {
    this.registry = createMetricsRegistry(service);
  }

  /** The histogram of that name, made on first use (two modules may ask for the same figure). */
  histogram<L extends string>(name: string, help: string, labelNames: readonly L[], buckets: number[]): Histogram<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Histogram<L>;
    return new Histogram({ name, help, labelNames, buckets, registers: [this.registry] });
  }

  /** A gauge set by `collect` each time the metrics are read. */
  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    collect: (gauge: Gauge<L>) => Promise<void> | void,
  ): Gauge<L> {
    return new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        await collect(this);
      },
    });
  }
}

/** Batches committed by a GroupCommit writer: how many items each carried and how long its oldest item waited. */
export function groupCommitObserver(metrics: Metrics, writer: string): (size: number, waitSeconds: number) => void {
  const size = metrics.histogram(
    'quan_group_commit_batch_size',
    'Items per group-commit batch, by writer',
    ['writer'],
    [1, 2, 5, 10, 20, 50, 100, 200, 500],
  );
  const wait = metrics.histogram(
    'quan_group_commit_wait_seconds',
    "Time a batch's oldest item waited before its statement was sent, by writer",
    ['writer'],
    [0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5, 1],
  );
  const sizeOf = size.labels({ writer });
  const waitOf = wait.labels({ writer });
  return (items, seconds) => {
    sizeOf.observe(items);
    waitOf.observe(seconds);
  };
}

/** Postgres and Redis round trips (SELECT 1, PING), measured at each scrape, and whether each answered. */
@Injectable()
class DependencyGauges {
  constructor(metrics: Metrics, dataSource: DataSource, @Inject(REDIS) redis: RedisClient) {
    let last: Awaited<ReturnType<typeof checkReadiness>> | undefined;
    // Both gauges read one check per scrape: the latency gauge runs it, the up gauge reuses it.
    metrics.gauge(
      'quan_dependency_latency_seconds',
      'Round trip of SELECT 1 (postgres) and PING (redis) at scrape time',
      ['dependency'],
      async (gauge) => {
        last = await checkReadiness(dataSource, redis);
        gauge.set({ dependency: 'postgres' }, last.checks.postgres.seconds);
        gauge.set({ dependency: 'redis' }, last.checks.redis.seconds);
      },
    );
    metrics.gauge(
      'quan_dependency_up',
      '1 when the dependency answered within a second at the last scrape',
      ['dependency'],
      (gauge) => {
        gauge.set({ dependency: 'postgres' }, last?.checks.postgres.status === 'up' ? 1 : 0);
        gauge.set({ dependency: 'redis' }, last?.checks.redis.status === 'up' ? 1 : 0);
      },
    );
  }
}

/** Provides the process's `Metrics` everywhere (global), with the Postgres and Redis latency gauges. */
@Global()
@Module({})
export class MetricsModule {
  static forRoot(service: 'api' | 'worker'): DynamicModule {
    return {
      module: MetricsModule,
      providers: [{ provide: Metrics, useFactory: () => new Metrics(service) }, DependencyGauges],
      exports: [Metrics],
    };
  }
}
