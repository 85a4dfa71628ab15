import { DataSource } from 'typeorm';
import { RedisClient } from '@quan/data';

export interface DependencyStatus {
  status: 'up' | 'down';
  latencyMs: number;
  /** The same, unrounded, for the latency gauge. */
  seconds: number;
  error?: string;
}

export interface Readiness {
  status: 'ready' | 'not_ready';
  checks: { postgres: DependencyStatus; redis: DependencyStatus };
}

const CHECK_TIMEOUT_MS = 1000;

async function timed(check: () => Promise<unknown>): Promise<DependencyStatus> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      check(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
      }),
    ]);
    const ms = performance.now() - started;
    return { status: 'up', latencyMs: Math.round(ms), seconds: ms / 1000 };
  } catch (error) {
    const ms = performance.now() - started;
    return {
      status: 'down',
      latencyMs: Math.round(ms),
      seconds: ms / 1000,
      error: error instanceof Error ? error.message : String(error),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Ready means both Postgres and Redis answer within a second. Shared by api and worker. */
export async function checkReadiness(dataSource: DataSource, redis: RedisClient): Promise<Readiness> {
  const [postgres, redisStatus] = await Promise.all([
    timed(() => dataSource.query('SELECT 1')),
    timed(() => redis.ping()),
  ]);
  const ready = postgres.status === 'up' && redisStatus.status === 'up';
  return { status: ready ? 'ready' : 'not_ready', checks: { postgres, redis: redisStatus } };
}
