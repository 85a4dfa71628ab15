import { DynamicModule, Module } from '@nestjs/common';
import { CampaignClockModule } from '@quan/campaigns';
import { AppConfig, ConfigModule } from '@quan/config';
import { DatabaseModule, QueueModule, RedisModule } from '@quan/data';
import { HealthServer } from './health-server';
import { Schedules } from './schedules';
import { SystemProcessor } from './system.processor';
import { WorkerMetrics } from './worker-metrics';

/** The worker: queue processors and schedulers, no HTTP API. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [ConfigModule.forRoot(config), DatabaseModule, RedisModule, QueueModule, CampaignClockModule],
      providers: [WorkerMetrics, SystemProcessor, Schedules, HealthServer],
    };
  }
}
