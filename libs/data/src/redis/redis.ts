import { Logger } from '@nestjs/common';
import Redis, { Cluster, RedisOptions } from 'ioredis';
import { AppConfig } from '@quan/config';

const logger = new Logger('Redis');

/** One Redis server or a Redis Cluster (REDIS_CLUSTER_NODES): both run the same commands and scripts. */
export type RedisClient = Redis | Cluster;

/** The masters of a cluster, or the one server: where key scans and server-wide commands go. */
export function redisMasters(redis: RedisClient): Redis[] {
  return redis instanceof Cluster ? redis.nodes('master') : [redis];
}

/** The cluster's seed nodes, or undefined for one server. */
export function clusterNodes(config: AppConfig): { host: string; port: number }[] | undefined {
  return config.REDIS_CLUSTER_NODES?.split(',').map((node) => {
    const [host, port] = node.split(':');
    return { host, port: Number(port) };
  });
}

/**
 * A client of REDIS_URL's server, or of the cluster REDIS_CLUSTER_NODES names (with REDIS_URL's user and
 * password), with `options` for each connection.
 */
export function connectRedis(config: AppConfig, options: RedisOptions): RedisClient {
  const nodes = clusterNodes(config);
  if (!nodes) return new Redis(config.REDIS_URL, options);
  const url = new URL(config.REDIS_URL);
  return new Cluster(nodes, {
    redisOptions: {
      ...options,
      username: decodeURIComponent(url.username) || undefined,
      password: decodeURIComponent(url.password) || undefined,
    },
    enableOfflineQueue: options.enableOfflineQueue,
    enableAutoPipelining: options.enableAutoPipelining,
    // Reads and scripts go to the master of their slot; a failover is found by the MOVED or the refused
    // connection it causes, and the slot map is read again.
    scaleReads: 'master',
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
  });
}

/**
 * A Redis client for the request path: it never queues commands while disconnected and gives up
 * on a command after REDIS_COMMAND_TIMEOUT_MS, so a Redis outage turns into a fast 503, not a hang.
 */
export function createRedisClient(config: AppConfig, name: string): RedisClient {
  const redis = connectRedis(config, {
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
