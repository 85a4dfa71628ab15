import { queuePrefix } from '../queues/queues';
import { RedisClient, redisMasters } from '../redis/redis';

/** Unlinks keys one command each (a cluster refuses one command over keys of several slots), in one round trip. */
const unlinkEach = async (redis: RedisClient, keys: string[]): Promise<number> => {
  const replies = (await redis.pipeline(keys.map((key) => ['unlink', key])).exec()) ?? [];
  return replies.reduce((sum, [error, count]) => {
    if (error) throw error;
    return sum + (count as number);
  }, 0);
};

/**
 * Deletes every key that starts with one of the prefixes (SCAN of every master, so Redis is never blocked),
 * a batch at a time through `unlink` (which answers how many it deleted).
 */
export async function deleteKeysWithPrefix(
  redis: RedisClient,
  prefixes: string[],
  unlink?: (keys: string[]) => Promise<number>,
): Promise<number> {
  let deleted = 0;
  for (const master of redisMasters(redis)) {
    for (const prefix of prefixes) {
      const pattern = `${prefix.replace(/[[\]*?\\]/g, '\\$&')}*`;
      let cursor = '0';
      do {
        const [next, keys] = await master.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
        cursor = next;
        if (keys.length) deleted += await (unlink ? unlink(keys) : unlinkEach(master, keys));
      } while (cursor !== '0');
    }
  }
  return deleted;
}

/** Deletes every key of a key prefix (REDIS_KEY_PREFIX): its own keys and its BullMQ queues. */
export function deleteKeysOfPrefix(redis: RedisClient, keyPrefix: string): Promise<number> {
  return deleteKeysWithPrefix(redis, [keyPrefix, queuePrefix(keyPrefix)]);
}
