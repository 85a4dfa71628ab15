import { Inject, Injectable, OnApplicationShutdown, Provider } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig, readDatabaseUrl } from '@quan/config';
import { dataSourceOptions, REQUEST_TIMEOUTS } from './data-source';

/**
 * The DataSource that reports and reconciliation read from: a pool of its own on DATABASE_READ_URL (a
 * streaming replica), or the primary's DataSource itself when none is set, so a single-server deployment
 * opens no second pool. Inject it with `@Inject(READ_DATA_SOURCE)`; never write through it.
 */
export const READ_DATA_SOURCE = Symbol('READ_DATA_SOURCE');

export const readDataSourceProvider: Provider = {
  provide: READ_DATA_SOURCE,
  inject: [AppConfig, DataSource],
  useFactory: async (config: AppConfig, primary: DataSource): Promise<DataSource> => {
    const url = readDatabaseUrl(config);
    if (url === config.DATABASE_URL) return primary;
    const options = dataSourceOptions(config);
    return new DataSource({
      ...options,
      url,
      migrations: [],
      applicationName: 'quan-read',
      extra: { ...options.extra, ...REQUEST_TIMEOUTS },
    }).initialize();
  },
};

/** Closes the read pool at shutdown when it is one of its own (the primary's is closed by TypeORM). */
@Injectable()
export class ReadDataSourceCloser implements OnApplicationShutdown {
  constructor(
    @Inject(READ_DATA_SOURCE) private readonly read: DataSource,
    private readonly primary: DataSource,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.read !== this.primary && this.read.isInitialized) await this.read.destroy();
  }
}
