import { BullModule } from '@nestjs/bullmq';
import { Module } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { DEFAULT_JOB_OPTIONS, QueueName, queuePrefix } from './queues';

/** BullMQ connection and every queue, registered once for api and worker alike. */
@Module({
  imports: [
    BullModule.forRootAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({
        connection: { url: config.REDIS_URL, maxRetriesPerRequest: null },
        prefix: queuePrefix(config.REDIS_KEY_PREFIX),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  exports: [BullModule],
})
export class QueueModule {}
