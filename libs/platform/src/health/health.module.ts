import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** /health/live and /health/ready (Postgres and Redis must answer). */
@Module({ controllers: [HealthController] })
export class HealthModule {}
