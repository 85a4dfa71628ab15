import { BullModule } from '@nestjs/bullmq';
import { Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { ConnectionOptions } from 'bullmq';
import { Cluster } from 'ioredis';
import { AppConfig } from '@quan/config';
import { connectRedis } from '../redis/redis';
import { DEFAULT_JOB_OPTIONS, QueueName, queuePrefix } from './queues';

const QUEUE_CONNECTION = Symbol('QUEUE_CONNECTION');

/**
 * BullMQ's connection: REDIS_URL's server (each queue and worker connects on its own), or on a cluster one
 * client the queues share, closed with the application. The queues' prefix is a hash tag, so each queue's
 * keys (and BullMQ's scripts over them) sit in one slot.
 */
@Module({
  providers: [
    {
      provide: QUEUE_CONNECTION,
      inject: [AppConfig],
      useFactory: (config: AppConfig): ConnectionOptions =>
        config.REDIS_CLUSTER_NODES
          ? connectRedis(config, { maxRetriesPerRequest: null })
          : { url: config.REDIS_URL, maxRetriesPerRequest: null },
    },
  ],
  exports: [QUEUE_CONNECTION],
})
class QueueConnectionModule implements OnApplicationShutdown {
  constructor(@Inject(QUEUE_CONNECTION) private readonly connection: ConnectionOptions) {}

  onApplicationShutdown(): void {
    if (this.connection instanceof Cluster) this.connection.disconnect();
  }
}

/** BullMQ connection and every queue, registered once for api and worker alike. */
@Module({
  imports: [
    BullModule.forRootAsync({
      imports: [QueueConnectionModule],
      inject: [AppConfig, QUEUE_CONNECTION],
      useFactory: (config: AppConfig, connection: ConnectionOptions) => ({
        connection,
        prefix: queuePrefix(config.REDIS_KEY_PREFIX),
        defaultJobOptions: DEFAULT_JOB_OPTIONS,
      }),
    }),
    BullModule.registerQueue(...Object.values(QueueName).map((name) => ({ name }))),
  ],
  exports: [BullModule],
})
export class QueueModule {}
