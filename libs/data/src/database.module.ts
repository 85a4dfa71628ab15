import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@quan/config';
import { dataSourceOptions } from './data-source';

/** The TypeORM connection to Postgres (migrations run by the explicit migrate command, never here). */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = dataSourceOptions(config);
        // A request never waits on Postgres for more than 5 s, even when the network swallows packets:
        // the query fails, and the request is answered 503 with any Redis decision given back. Postgres
        // cancels the statement at the same deadline, so a query the client gave up on does not commit later.
        return { ...options, retryAttempts: 0, extra: { ...options.extra, query_timeout: 5000, statement_timeout: 5000 } };
      },
    }),
  ],
})
export class DatabaseModule {}
