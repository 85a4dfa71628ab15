import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { campaignScopesOf, StaffPrincipal } from '@quan/auth';
import { ClaimCounters } from '@quan/counters';
import { CampaignStatus, RoundMode } from '@quan/data';
import { DomainError, ErrorCode, LIVE_CAMPAIGN_STATUSES } from '@quan/domain';
import { ACTIVITY_FLUSH_MS, ClaimActivity, RoundActivity } from './claim-activity';
import { UPCOMING_HORIZON_DAYS } from './claims.dto';
import {
  CampaignMonitorDto,
  MonitoredOfferDto,
  MonitoredRoundDto,
  MonitoredRoundStatus,
  RATE_SECONDS,
  SERIES_SECONDS,
} from './monitor.dto';

/** Every console polling a campaign within this long gets the same answer: one read per campaign and process. */
const ANSWER_TTL_MS = 1000;
/** Rounds closed this long ago are still shown, so an opening can be looked back on. */
const CLOSED_SHOWN_MS = 24 * 3600 * 1000;
const UPCOMING_MS = UPCOMING_HORIZON_DAYS * 24 * 3600 * 1000;
/** A second is complete once every process has flushed it: its end plus one flush interval, rounded up. */
const COMPLETE_AFTER_S = 1 + Math.ceil(ACTIVITY_FLUSH_MS / 1000);

interface Row {
  scope_county_code: string | null;
  campaign_name: string;
  campaign_status: CampaignStatus;
  round_id: string | null;
  round_name: string;
  mode: RoundMode;
  opens_at: Date;
  closes_at: Date;
  paused: boolean;
  offer_id: string | null;
  offer_name: string;
  stock: number;
  issued: number;
}

interface Answer {
  scopeCountyCode: string | null;
  body: CampaignMonitorDto;
}

function sees(principal: StaffPrincipal, scopeCountyCode: string | null): boolean {
  const scopes = campaignScopesOf(principal);
  return scopes === 'all' || scopes.includes(scopeCountyCode);
}

function statusOf(row: Row, now: number): MonitoredRoundStatus {
  if (now >= row.closes_at.getTime()) return MonitoredRoundStatus.Closed;
  if (now < row.opens_at.getTime()) return MonitoredRoundStatus.Upcoming;
  return row.paused || !LIVE_CAMPAIGN_STATUSES.has(row.campaign_status)
    ? MonitoredRoundStatus.Paused
    : MonitoredRoundStatus.Open;
}

/**
 * The live round monitor: per round of a campaign, the stock left (the claim counters in Redis), claims
 * and refusals per second and refusals by code (ClaimActivity, summed over every api process), the claim
 * rate and the time to sell-out. Built at most once a second per campaign and process, whoever asks.
 */
@Injectable()
export class RoundMonitor {
  private readonly answers = new Map<string, { at: number; answer: Promise<Answer | null> }>();

  constructor(
    private readonly dataSource: DataSource,
    private readonly counters: ClaimCounters,
    private readonly activity: ClaimActivity,
  ) {}

  async campaign(principal: StaffPrincipal, campaignId: string): Promise<CampaignMonitorDto> {
    const answer = await this.cached(campaignId);
    if (!answer || !sees(principal, answer.scopeCountyCode)) {
      throw new DomainError(ErrorCode.CampaignNotFound, `No campaign ${campaignId}`);
    }
    return answer.body;
  }

  private cached(campaignId: string): Promise<Answer | null> {
    const now = Date.now();
    for (const [id, entry] of this.answers) if (now - entry.at >= ANSWER_TTL_MS) this.answers.delete(id);
    const known = this.answers.get(campaignId);
    if (known) return known.answer;
    const answer = this.build(campaignId, now);
    this.answers.set(campaignId, { at: now, answer });
    // A failed read is not kept: the next poll tries again.
    answer.catch(() => this.answers.get(campaignId)?.answer === answer && this.answers.delete(campaignId));
    return answer;
  }

  private async build(campaignId: string, now: number): Promise<Answer | null> {
    const rows = (await this.dataSource.query(
      `SELECT c.scope_county_code, c.name AS campaign_name, c.status AS campaign_status,
              r.id AS round_id, r.name AS round_name, r.mode, r.opens_at, r.closes_at, r.paused,
              o.id AS offer_id, o.name AS offer_name, o.stock, o.issued
         FROM campaigns c
         LEFT JOIN rounds r ON r.campaign_id = c.id AND c.status NOT IN ($2, $3)
                           AND r.closes_at > $4 AND r.opens_at <= $5
         LEFT JOIN round_offers o ON o.round_id = r.id
        WHERE c.id = $1
        ORDER BY r.opens_at, r.id, o.sort_order, o.name`,
      [
        campaignId,
        CampaignStatus.Draft,
        CampaignStatus.PendingApproval,
        new Date(now - CLOSED_SHOWN_MS),
        new Date(now + UPCOMING_MS),
      ],
    )) as Row[];
    if (rows.length === 0) return null;
    const rounds = new Map<string, Row[]>();
    for (const row of rows) if (row.round_id) rounds.set(row.round_id, [...(rounds.get(row.round_id) ?? []), row]);

    const until = Math.floor(now / 1000) - COMPLETE_AFTER_S;
    const [activity, counts] = await Promise.all([
      this.activity.read([...rounds.keys()], until, SERIES_SECONDS),
      this.counters.stockOf(
        [...rounds].map(([roundId, offers]) => ({
          campaignId,
          roundId,
          offerIds: offers.flatMap((o) => o.offer_id ?? []),
        })),
      ),
    ]);
    const from = new Date((until - SERIES_SECONDS + 1) * 1000).toISOString();
    return {
      scopeCountyCode: rows[0].scope_county_code,
      body: {
        campaignId,
        campaignName: rows[0].campaign_name,
        serverTime: new Date(now).toISOString(),
        rounds: [...rounds].map(([roundId, offers], r) =>
          this.round(offers, counts[r], activity.get(roundId)!, from, now),
        ),
      },
    };
  }

  private round(
    rows: Row[],
    counts: ({ stock: number; issued: number } | undefined)[],
    activity: RoundActivity,
    from: string,
    now: number,
  ): MonitoredRoundDto {
    const [round] = rows;
    const offers = rows
      .filter((row) => row.offer_id)
      .map((row, i): MonitoredOfferDto => {
        // Postgres's figures until the round's counters are in Redis (before its first claim after a restart).
        const { stock, issued } = counts[i] ?? row;
        return {
          offerId: row.offer_id!,
          name: row.offer_name,
          stock,
          claimed: issued,
          remaining: Math.max(0, stock - issued),
        };
      });
    const status = statusOf(round, now);
    const remaining = offers.reduce((sum, offer) => sum + offer.remaining, 0);
    const recent = activity.claims.slice(-RATE_SECONDS).reduce((sum, n) => sum + n, 0);
    let sellOutInSeconds: number | null = null;
    if (status === MonitoredRoundStatus.Open && remaining === 0) sellOutInSeconds = 0;
    else if (status === MonitoredRoundStatus.Open && recent > 0)
      sellOutInSeconds = Math.ceil((remaining * RATE_SECONDS) / recent);
    return {
      roundId: round.round_id!,
      name: round.round_name,
      mode: round.mode,
      status,
      opensAt: round.opens_at.toISOString(),
      closesAt: round.closes_at.toISOString(),
      claimed: offers.reduce((sum, offer) => sum + offer.claimed, 0),
      claimsPerSecond: Math.round(recent / RATE_SECONDS),
      sellOutInSeconds,
      offers,
      perSecond: { from, claims: activity.claims, refusals: activity.refusals },
      refusals: [...activity.refusalsByCode]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    };
  }
}
