import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@quan/config';
import { dataSourceOptions } from './data-source';

/** The TypeORM connection to Postgres (migrations run by the explicit migrate command, never here). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ ...dataSourceOptions(config), retryAttempts: 0 }),
    }),
  ],
})
export class DatabaseModule {}
