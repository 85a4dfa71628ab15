import { once } from 'node:events';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { createRedisClient, RedisClient, RedisKeys } from './redis';
import { REDIS } from './redis.tokens';

@Global()
@Module({
  providers: [
    {
      provide: REDIS,
      inject: [AppConfig],
      // Start with a connected client when Redis answers, so the first requests are not refused;
      // when it does not, start anyway: requests fail fast with 503 until it comes back.
      useFactory: async (config: AppConfig) => {
        const redis = createRedisClient(config, 'app');
        await Promise.race([
          once(redis, 'ready').catch(() => undefined),
          new Promise((resolve) => setTimeout(resolve, 2000)),
        ]);
        return redis;
      },
    },
    {
      provide: RedisKeys,
      inject: [AppConfig],
      useFactory: (config: AppConfig) => new RedisKeys(config.REDIS_KEY_PREFIX),
    },
  ],
  exports: [REDIS, RedisKeys],
})
export class RedisModule implements OnApplicationShutdown {
  constructor(@Inject(REDIS) private readonly redis: RedisClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}
