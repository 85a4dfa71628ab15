import { createServer, Server } from 'node:http';
import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient } from '@quan/data';
import { checkReadiness } from '@quan/platform';
import { WorkerMetrics } from './worker-metrics';

/** The worker has no API; this small listener serves /health/live, /health/ready and /metrics for probes and Prometheus. */
@Injectable()
export class HealthServer implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly server: Server;

  constructor(
    private readonly config: AppConfig,
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: RedisClient,
    private readonly metrics: WorkerMetrics,
  ) {
    this.server = createServer((request, response) => {
      void this.handle(request.method ?? 'GET', request.url ?? '/').then(({ status, type, body }) => {
        response.writeHead(status, { 'content-type': type });
        response.end(body);
      });
    });
  }

  private async handle(method: string, url: string): Promise<{ status: number; type: string; body: string }> {
    const json = 'application/json; charset=utf-8';
    if (method !== 'GET') return { status: 405, type: json, body: '{"code":"NOT_FOUND"}' };
    switch (url.split('?')[0]) {
      case '/health/live':
        return { status: 200, type: json, body: '{"status":"ok"}' };
      case '/health/ready': {
        const readiness = await checkReadiness(this.dataSource, this.redis);
        return { status: readiness.status === 'ready' ? 200 : 503, type: json, body: JSON.stringify(readiness) };
      }
      case '/metrics':
        return { status: 200, type: this.metrics.registry.contentType, body: await this.metrics.registry.metrics() };
      default:
        return { status: 404, type: json, body: '{"code":"NOT_FOUND"}' };
    }
  }

  onApplicationBootstrap(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.config.WORKER_PORT, '0.0.0.0', () => resolve());
    });
  }

  onApplicationShutdown(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
