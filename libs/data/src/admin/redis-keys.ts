import Redis from 'ioredis';
import { queuePrefix } from '../queues/queues';

/**
 * Deletes every key that starts with one of the prefixes (SCAN, so Redis is never blocked), a batch at a
 * time through `unlink` (which answers how many it deleted).
 */
export async function deleteKeysWithPrefix(
  redis: Redis,
  prefixes: string[],
  unlink: (keys: string[]) => Promise<number> = (keys) => redis.unlink(...keys),
): Promise<number> {
  let deleted = 0;
  for (const prefix of prefixes) {
    const pattern = `${prefix.replace(/[[\]*?\\]/g, '\\$&')}*`;
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      cursor = next;
      if (keys.length) deleted += await unlink(keys);
    } while (cursor !== '0');
  }
  return deleted;
}

/** Deletes every key of a key prefix (REDIS_KEY_PREFIX): its own keys and its BullMQ queues. */
export function deleteKeysOfPrefix(redis: Redis, keyPrefix: string): Promise<number> {
  return deleteKeysWithPrefix(redis, [keyPrefix, queuePrefix(keyPrefix)]);
}
