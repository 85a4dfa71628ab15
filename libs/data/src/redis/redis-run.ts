import { Inject, Injectable, OnModuleInit } from '@nestjs/common';
import Redis from 'ioredis';
import { REDIS } from './redis.tokens';

/**
 * The run id of the Redis server the client is connected to. It changes when Redis restarts, which is
 * how the claim path notices a restart (and possibly lost writes) and fences the counters until they
 * are rebuilt from Postgres. Unknown while (re)connecting: callers then answer 503.
 */
@Injectable()
export class RedisRun implements OnModuleInit {
  private runId: string | undefined;

  constructor(@Inject(REDIS) private readonly redis: Redis) {}

  onModuleInit(): void {
    this.redis.on('ready', () => void this.refresh());
    this.redis.on('close', () => (this.runId = undefined));
    if (this.redis.status === 'ready') void this.refresh();
  }

  private async refresh(): Promise<void> {
    this.runId = undefined;
    try {
      this.runId = /run_id:(\w+)/.exec(await this.redis.info('server'))?.[1];
    } catch {
      this.runId = undefined;
    }
  }

  current(): string | undefined {
    return this.runId;
  }
}
