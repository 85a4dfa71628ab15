import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '@quan/config';
import { FieldCipher } from './crypto/field-cipher';
import { dataSourceOptions, REQUEST_TIMEOUTS } from './data-source';
import { READ_DATA_SOURCE, ReadDataSourceCloser, readDataSourceProvider } from './read-data-source';

/**
 * The TypeORM connection to Postgres (migrations run by the explicit migrate command, never here), the
 * read connection of reports and reconciliation (READ_DATA_SOURCE: DATABASE_READ_URL or the same), and the
 * FieldCipher that seals personal and bank data at rest.
 */
@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => {
        const options = dataSourceOptions(config);
        // Postgres cancels a statement 5 s after it arrived, and the request is answered 503 with any Redis
        // decision given back. A query never waits for more than 6 s, even when the network swallows its
        // answer: then it fails without knowing the outcome (commitOutcomeUnknown), and it commits later, if
        // at all, only by as long as the network held it back.
        return {
          ...options,
          retryAttempts: 0,
          extra: { ...options.extra, ...REQUEST_TIMEOUTS },
        };
      },
    }),
  ],
  providers: [
    readDataSourceProvider,
    ReadDataSourceCloser,
    { provide: FieldCipher, inject: [AppConfig], useFactory: (config: AppConfig) => FieldCipher.fromConfig(config) },
  ],
  exports: [FieldCipher, READ_DATA_SOURCE],
})
export class DatabaseModule {}
