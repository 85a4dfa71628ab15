import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '@quan/config';
import { REDIS, RedisClient } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';
import { campaignTag } from './keys';
import { counterScripts, CounterScripts } from './scripts';

/**
 * The run id of the Redis server that holds each campaign's counters (one master of a cluster, or the one
 * server), as this process last saw it. The scripts check it against the server they run on and answer
 * FENCED with the right one after a restart or a failover (prelude.lua), which the caller records with
 * `saw`; so a stale entry costs one round trip and never a wrong decision.
 */
@Injectable()
export class CounterRuns {
  private readonly known = new Map<string, string>();
  private readonly scripts: CounterScripts;
  private readonly prefix: string;

  constructor(@Inject(REDIS) redis: RedisClient, config: AppConfig) {
    this.scripts = counterScripts(redis);
    this.prefix = config.REDIS_KEY_PREFIX;
  }

  /** The run id of the server holding the campaign's keys, asked of it when not known yet. */
  async of(campaignId: string): Promise<string> {
    return this.known.get(campaignId) ?? this.current(campaignId);
  }

  /** The run id of the server holding the campaign's keys, asked of it now (for paths no script fences). */
  async current(campaignId: string): Promise<string> {
    let run: string;
    try {
      run = (await this.scripts.whoami(campaignTag(this.prefix, campaignId))) as string;
    } catch {
      throw new DomainError(ErrorCode.Unavailable, 'The counters cannot be reached; retry shortly');
    }
    this.known.set(campaignId, run);
    return run;
  }

  /** The run id a script found on the server holding the campaign's keys. */
  saw(campaignId: string, runId: string): void {
    this.known.set(campaignId, runId);
  }
}
