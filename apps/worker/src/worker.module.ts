import { DynamicModule, Module } from '@nestjs/common';
import { CampaignClockModule } from '@quan/campaigns';
import { AppConfig, ConfigModule } from '@quan/config';
import { CountersModule } from '@quan/counters';
import { DatabaseModule, QueueModule, RedisModule } from '@quan/data';
import { LotteryWorkerModule } from '@quan/lottery';
import { MetricsModule } from '@quan/platform';
import { ReportsWorkerModule } from '@quan/reports';
import { RiskWorkerModule } from '@quan/risk';
import { SettlementWorkerModule } from '@quan/settlement';
import { HealthServer } from './health-server';
import { OutboxRelay } from './outbox-relay';
import { Schedules } from './schedules';
import { SettlementProcessor } from './settlement.processor';
import { SystemProcessor } from './system.processor';
import { OperationsGauges, WorkerMetrics } from './worker-metrics';

/** The worker: queue processors and schedulers, no HTTP API. */
@Module({})
export class WorkerModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CountersModule,
        QueueModule,
        MetricsModule.forRoot('worker'),
        CampaignClockModule,
        SettlementWorkerModule,
        ReportsWorkerModule,
        RiskWorkerModule,
        LotteryWorkerModule,
      ],
      providers: [
        WorkerMetrics,
        OperationsGauges,
        OutboxRelay,
        SystemProcessor,
        SettlementProcessor,
        Schedules,
        HealthServer,
      ],
    };
  }
}
