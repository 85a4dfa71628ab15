import { randomUUID } from 'node:crypto';
import { deleteKeysWithPrefix, RedisClient } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { FIELD } from './keys';
import { counterScripts } from './scripts';

/** How long a rebuild lock lasts unless its holder renews it (every third of that while it works). */
const LOCK_MS = 30000;
/** Keys a rebuild writes or deletes per step. */
const REBUILD_BATCH = 1000;

/** A rebuild's hold on its lock: every write of a rebuild goes through it, and fails once the lock is another's. */
export interface RebuildLock {
  /** Deletes the campaign's keys that start with `prefix`, batch by batch. */
  deleteWithPrefix(prefix: string): Promise<void>;
  /** Sets the fields of each hash (key → fields), and its lifetime if given, batch by batch. */
  write(hashes: Map<string, Record<string, string | number>>, ttlMs?: number): Promise<void>;
}

/**
 * Runs `work` in one process at a time per lock (a Redis lock, renewed while it works); the others wait
 * until `probeKey` carries `runId`. `work` writes only through the lock, each step checking it still holds
 * it: a process that lost the lock (stalled longer than LOCK_MS) must not overwrite another one's newer
 * rebuild, nor the counts of claims decided since.
 */
export async function underRebuildLock(
  redis: RedisClient,
  rebuild: { lock: string; probeKey: string; runId: string },
  work: (lock: RebuildLock) => Promise<void>,
): Promise<void> {
  const { lock, probeKey, runId } = rebuild;
  const scripts = counterScripts(redis);
  const token = randomUUID();
  if ((await redis.set(lock, token, 'PX', LOCK_MS, 'NX')) !== 'OK') {
    const deadline = Date.now() + LOCK_MS;
    while (Date.now() < deadline) {
      if ((await redis.hget(probeKey, FIELD.run)) === runId) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return;
  }
  const renewal = setInterval(
    () => void scripts['renew-lock'](lock, token, LOCK_MS).catch(() => undefined),
    LOCK_MS / 3,
  );
  const whileHeld = async (keys: string[], ...args: string[]) => {
    if ((await scripts['write-if-held'](keys.length + 1, lock, ...keys, token, ...args)) !== 1) {
      throw new DomainError(ErrorCode.Unavailable, 'The counters are being rebuilt by another process; retry shortly');
    }
  };
  const held: RebuildLock = {
    deleteWithPrefix: async (prefix) => {
      await deleteKeysWithPrefix(redis, [prefix], async (keys) => {
        await whileHeld(keys, 'unlink');
        return keys.length;
      });
    },
    write: async (hashes, ttlMs = 0) => {
      const entries = [...hashes];
      for (let start = 0; start < entries.length; start += REBUILD_BATCH) {
        const batch = entries.slice(start, start + REBUILD_BATCH);
        // As strings, which cjson hands to HSET unchanged (a Lua number could come back as 1e+15).
        const fields = batch.map(([, value]) =>
          JSON.stringify(Object.fromEntries(Object.entries(value).map(([field, v]) => [field, String(v)]))),
        );
        await whileHeld(
          batch.map(([key]) => key),
          String(ttlMs),
          ...fields,
        );
      }
    },
  };
  try {
    // Another process may have finished the same rebuild between this caller's FENCED and the lock.
    if ((await redis.hget(probeKey, FIELD.run)) !== runId) await work(held);
  } finally {
    clearInterval(renewal);
    await scripts['release-lock'](lock, token);
  }
}
