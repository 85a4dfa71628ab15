import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@quan/config';
import { dataSourceOptions, QUERY_TIMEOUT_MS } from './data-source';

/** The TypeORM connection to Postgres (migrations run by the explicit migrate command, never here). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = dataSourceOptions(config);
        // A query never waits on Postgres for more than 5 s, even when the network swallows packets: it
        // fails, and the request is answered 503 with any Redis decision given back. Postgres cancels the
        // statement 5 s after it arrived, so a query the client gave up on commits later only by as long as
        // the network held it back.
        return { ...options, retryAttempts: 0, extra: { ...options.extra, query_timeout: QUERY_TIMEOUT_MS, statement_timeout: QUERY_TIMEOUT_MS } };
      },
    }),
  ],
})
export class DatabaseModule {}
