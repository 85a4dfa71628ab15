import { DynamicModule, Module } from '@nestjs/common';
import { AuditModule } from '@quan/audit';
import { AuthModule } from '@quan/auth';
import { ClaimsModule } from '@quan/claims';
import { CampaignsModule } from '@quan/campaigns';
import { AppConfig, ConfigModule } from '@quan/config';
import { CountersModule } from '@quan/counters';
import { LotteryModule } from '@quan/lottery';
import { DatabaseModule, QueueModule, RedisModule } from '@quan/data';
import { MerchantsModule } from '@quan/merchants';
import { HealthModule, MetricsModule } from '@quan/platform';
import { RedemptionsModule } from '@quan/redemptions';
import { ReferenceModule } from '@quan/reference';
import { ReportsModule } from '@quan/reports';
import { RiskModule } from '@quan/risk';
import { ResidentsModule } from '@quan/residents';
import { SettlementModule } from '@quan/settlement';
import { StaffModule } from '@quan/staff';
import { QueueViewModule } from './queue-view/queue-view.module';

/** The HTTP API: every feature module the resident, merchant and bureau endpoints come from. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule,
        RedisModule,
        CountersModule,
        QueueModule,
        MetricsModule.forRoot('api'),
        AuthModule,
        HealthModule,
        ReferenceModule,
        StaffModule,
        MerchantsModule,
        CampaignsModule,
        AuditModule,
        ResidentsModule,
        ClaimsModule,
        LotteryModule,
        RedemptionsModule,
        SettlementModule,
        ReportsModule,
        RiskModule,
        QueueViewModule,
      ],
    };
  }
}
