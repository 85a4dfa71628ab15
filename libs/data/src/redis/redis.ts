import { Logger } from '@nestjs/common';
import Redis from 'ioredis';

const logger = new Logger('Redis');
import { AppConfig } from '@quan/config';

/**
 * A Redis client for the request path: it never queues commands while disconnected and gives up
 * on a command after REDIS_COMMAND_TIMEOUT_MS, so a Redis outage turns into a fast 503, not a hang.
 */
export function createRedisClient(config: AppConfig, name: string): Redis {
  const redis = new Redis(config.REDIS_URL, {
    connectionName: `${config.REDIS_KEY_PREFIX}-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    enableAutoPipelining: true,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  let reported = false;
  redis.on('error', (error: Error) => {
    if (!reported) logger.warn(`Redis (${name}) unavailable: ${error.message}; reconnecting`);
    reported = true;
  });
  redis.on('ready', () => {
    if (reported) logger.log(`Redis (${name}) connected again`);
    reported = false;
  });
  return redis;
}

/** Builds Redis keys under the deployment's prefix: keys('worker', 'heartbeat') -> "quan:worker:heartbeat". */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
