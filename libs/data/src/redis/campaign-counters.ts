import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { AppConfig } from '@quan/config';
import { Campaign, CampaignStatus } from '../entities/campaign.entity';
import { RoundOffer } from '../entities/round-offer.entity';
import { Round } from '../entities/round.entity';
import { REDIS } from './redis.tokens';

/**
 * Redis keys of one campaign. Every key carries the hash tag {c:CAMPAIGN}, so one Lua script can check
 * a round's stock and a person's campaign-wide limits atomically inside one Redis Cluster slot.
 *
 *   PREFIX:{c:C}:r:ROUND   hash  open (ms), close (ms), live (0|1: campaign published/running and round
 *                                not paused), lim (per person per campaign), s:OFFER (stock), i:OFFER (issued)
 *   PREFIX:{c:C}:p:PERSON  hash  c (vouchers claimed in the campaign), r:ROUND (claims in that round)
 *
 * A missing round hash means "not prepared": the claim path treats the round as fenced until the
 * counters are rebuilt from Postgres.
 */
export function campaignTag(prefix: string, campaignId: string): string {
  return `${prefix}:{c:${campaignId}}`;
}

export const roundKey = (prefix: string, campaignId: string, roundId: string) => `${campaignTag(prefix, campaignId)}:r:${roundId}`;
export const personKey = (prefix: string, campaignId: string, person: string) => `${campaignTag(prefix, campaignId)}:p:${person}`;

const LIVE_STATUSES = new Set([CampaignStatus.Published, CampaignStatus.Running]);

/**
 * Prepares (idempotently) the Redis counters of a campaign's rounds from Postgres. Configuration fields
 * (window, live flag, limit, stock) are overwritten with Postgres's current values, so pause/resume,
 * window extensions and added stock take effect; issued counts are only initialised, never reset.
 */
@Injectable()
export class CampaignCounters {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(REDIS) private readonly redis: Redis,
    private readonly config: AppConfig,
  ) {}

  async prepare(campaignId: string): Promise<void> {
    const campaign = await this.dataSource.getRepository(Campaign).findOneByOrFail({ id: campaignId });
    const rounds = await this.dataSource.getRepository(Round).findBy({ campaignId });
    const offers = rounds.length
      ? await this.dataSource.getRepository(RoundOffer).find({ where: rounds.map((r) => ({ roundId: r.id })) })
      : [];
    const pipeline = this.redis.multi();
    for (const round of rounds) {
      const key = roundKey(this.config.REDIS_KEY_PREFIX, campaignId, round.id);
      const live = LIVE_STATUSES.has(campaign.status) && !round.paused ? 1 : 0;
      const fields: Record<string, string | number> = {
        open: round.opensAt.getTime(),
        close: round.closesAt.getTime(),
        live,
        lim: campaign.perPersonLimit,
      };
      for (const offer of offers.filter((o) => o.roundId === round.id)) {
        fields[`s:${offer.id}`] = offer.stock;
        pipeline.hsetnx(key, `i:${offer.id}`, 0);
      }
      pipeline.hset(key, fields);
    }
    await pipeline.exec();
  }
}
