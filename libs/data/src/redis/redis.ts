import Redis from 'ioredis';
import { AppConfig } from '@quan/config';

/**
 * A Redis client for the request path: it never queues commands while disconnected and gives up
 * on a command after REDIS_COMMAND_TIMEOUT_MS, so a Redis outage turns into a fast 503, not a hang.
 */
export function createRedisClient(config: AppConfig, name: string): Redis {
  return new Redis(config.REDIS_URL, {
    connectionName: `${config.REDIS_KEY_PREFIX}-${name}`,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 1000,
    commandTimeout: config.REDIS_COMMAND_TIMEOUT_MS,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
}

/** Builds Redis keys under the deployment's prefix: keys('worker', 'heartbeat') -> "quan:worker:heartbeat". */
export class RedisKeys {
  constructor(private readonly prefix: string) {}

  key(...parts: string[]): string {
    return [this.prefix, ...parts].join(':');
  }
}
