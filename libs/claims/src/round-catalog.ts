import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ClaimCounters } from '@quan/counters';
import { CampaignStatus, RoundMode } from '@quan/data';
import { ValidityRule } from '@quan/domain';
import {
  DiscountRuleDto,
  OpenRoundDto,
  ROUND_OPENING_SPREAD_MS,
  ROUND_POLL_MAX_S,
  RoundListingStatus,
  UPCOMING_HORIZON_DAYS,
} from './claims.dto';
import { RULE_COLUMNS, RuleRow, ruleOf, validityRuleOf } from './voucher-rules';

export interface OfferItemInfo {
  voucherTypeId: string;
  name: string;
  quantity: number;
  /** As residents read them, built once per reload. */
  rules: DiscountRuleDto;
  validity: ValidityRule;
}

export interface OfferInfo {
  id: string;
  name: string;
  stock: number;
  issued: number;
  items: OfferItemInfo[];
  /** Categories with a per-person limit in which a voucher of this offer can be used; a claim counts once in each. */
  limitedCategories: string[];
}

export interface RoundInfo {
  id: string;
  campaignId: string;
  campaignName: string;
  name: string;
  mode: RoundMode;
  opensAt: Date;
  closesAt: Date;
  offers: Map<string, OfferInfo>;
}

interface Row extends RuleRow {
  round_id: string;
  campaign_id: string;
  campaign_name: string;
  round_name: string;
  mode: RoundMode;
  opens_at: Date;
  closes_at: Date;
  offer_id: string;
  offer_name: string;
  stock: number;
  issued: number;
  sort_order: number;
  voucher_type_id: string;
  type_name: string;
  quantity: number;
  category_codes: string[];
  category_limits: Record<string, number>;
}

const SNAPSHOT_TTL_MS = 2000;
const LISTING_TTL_MS = 500;
const RECENTLY_CLOSED_MS = 24 * 3600 * 1000;

const UPCOMING_HORIZON_MS = UPCOMING_HORIZON_DAYS * 24 * 3600 * 1000;

/** A round of the cached listing: what does not change from one request to the next. */
type ListedRound = Omit<OpenRoundDto, 'status' | 'serverTime' | 'pollAfterMs'>;

/**
 * A listed round as of `now`: its status, the server's time, and when a page waiting for it should ask again
 * (at the opening, at a random moment of its first ROUND_OPENING_SPREAD_MS, or within ROUND_POLL_MAX_S).
 */
function timed(round: ListedRound, now: number): OpenRoundDto {
  const untilOpening = Date.parse(round.opensAt) - now;
  const pollAfterMs =
    untilOpening > 0
      ? Math.min(ROUND_POLL_MAX_S * 1000, untilOpening + Math.floor(Math.random() * ROUND_OPENING_SPREAD_MS))
      : null;
  return {
    ...round,
    status: untilOpening > 0 ? 'upcoming' : 'open',
    serverTime: new Date(now).toISOString(),
    pollAfterMs,
  };
}

/**
 * Rounds of published and running campaigns, held in memory and refreshed every two seconds, so the
 * claim path and the listing polled by every resident at 09:59:59 cost no Postgres query.
 */
@Injectable()
export class RoundCatalog {
  private snapshot: { at: number; rounds: Map<string, RoundInfo> } | undefined;
  private loading: Promise<Map<string, RoundInfo>> | undefined;
  private listing: { at: number; body: Promise<ListedRound[]> } | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly counters: ClaimCounters,
  ) {}

  private load(): Promise<Map<string, RoundInfo>> {
    this.loading ??= this.query()
      .then((rounds) => {
        this.snapshot = { at: Date.now(), rounds };
        return rounds;
      })
      .finally(() => (this.loading = undefined));
    return this.loading;
  }

  private async query(): Promise<Map<string, RoundInfo>> {
    const rows = (await this.dataSource.query(
      `SELECT r.id AS round_id, c.id AS campaign_id, c.name AS campaign_name, r.name AS round_name, r.mode,
              r.opens_at, r.closes_at, o.id AS offer_id, o.name AS offer_name, o.stock, o.issued, o.sort_order,
              t.id AS voucher_type_id, t.name AS type_name, i.quantity, t.category_codes, ${RULE_COLUMNS},
              c.per_person_category_limits AS category_limits
         FROM rounds r
         JOIN campaigns c ON c.id = r.campaign_id
         JOIN round_offers o ON o.round_id = r.id
         JOIN offer_items i ON i.offer_id = o.id
         JOIN voucher_types t ON t.id = i.voucher_type_id
        WHERE c.status IN ($1, $2) AND r.closes_at > $3
        ORDER BY r.opens_at, o.sort_order, o.name, t.threshold_fen, t.name`,
      [CampaignStatus.Published, CampaignStatus.Running, new Date(Date.now() - RECENTLY_CLOSED_MS)],
    )) as Row[];
    const rounds = new Map<string, RoundInfo>();
    for (const row of rows) {
      let round = rounds.get(row.round_id);
      if (!round) {
        round = {
          id: row.round_id,
          campaignId: row.campaign_id,
          campaignName: row.campaign_name,
          name: row.round_name,
          mode: row.mode,
          opensAt: row.opens_at,
          closesAt: row.closes_at,
          offers: new Map(),
        };
        rounds.set(row.round_id, round);
      }
      let offer = round.offers.get(row.offer_id);
      if (!offer) {
        offer = {
          id: row.offer_id,
          name: row.offer_name,
          stock: row.stock,
          issued: row.issued,
          items: [],
          limitedCategories: [],
        };
        round.offers.set(row.offer_id, offer);
      }
      for (const category of Object.keys(row.category_limits)) {
        const usable = row.category_codes.length === 0 || row.category_codes.includes(category);
        if (usable && !offer.limitedCategories.includes(category)) offer.limitedCategories.push(category);
      }
      offer.items.push({
        voucherTypeId: row.voucher_type_id,
        name: row.type_name,
        quantity: row.quantity,
        rules: ruleOf(row),
        validity: validityRuleOf(row),
      });
    }
    return rounds;
  }

  /** The snapshot; once it is stale, the stale one is served while a reload runs in the background. */
  private async rounds(): Promise<Map<string, RoundInfo>> {
    if (!this.snapshot) return this.load();
    if (Date.now() - this.snapshot.at >= SNAPSHOT_TTL_MS) this.load().catch(() => undefined);
    return this.snapshot.rounds;
  }

  /** A round of a live campaign. One published after the last refresh is found by a reload. */
  async get(roundId: string): Promise<RoundInfo | undefined> {
    const known = (await this.rounds()).get(roundId);
    if (known) return known;
    const [live] = (await this.dataSource.query(
      `SELECT 1 FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE r.id = $1 AND c.status IN ($2, $3)`,
      [roundId, CampaignStatus.Published, CampaignStatus.Running],
    )) as unknown[];
    if (!live) return undefined;
    // A reload already under way may have started before the round was published: then load again.
    return (await this.load()).get(roundId) ?? (await this.load()).get(roundId);
  }

  /** A round of the snapshot as it is, without loading or querying: for callers that must never wait. */
  peek(roundId: string): RoundInfo | undefined {
    return this.snapshot?.rounds.get(roundId);
  }

  /**
   * The rounds listed in these statuses (open now, or opening within the horizon), from the listing of the
   * last half second; their status, the server's time and when to ask again are of this moment.
   */
  async list(statuses: ReadonlySet<RoundListingStatus>): Promise<OpenRoundDto[]> {
    const now = Date.now();
    return (await this.listed()).map((round) => timed(round, now)).filter((round) => statuses.has(round.status));
  }

  /** One round as the listing has it, or undefined when it is not listed (closed, or further off than the horizon). */
  async listedRound(roundId: string): Promise<OpenRoundDto | undefined> {
    const round = (await this.listed()).find((listed) => listed.id === roundId);
    return round && timed(round, Date.now());
  }

  private listed(): Promise<ListedRound[]> {
    if (!this.listing || Date.now() - this.listing.at >= LISTING_TTL_MS) {
      // Pollers arriving while it is built share it; a failed build is not kept.
      const body = this.listAll();
      this.listing = { at: Date.now(), body };
      body.catch(() => {
        if (this.listing?.body === body) this.listing = undefined;
      });
    }
    return this.listing.body;
  }

  /** Open rounds and those opening within the horizon, with the stock left per offer (from Redis when prepared, else Postgres). */
  private async listAll(now = new Date()): Promise<ListedRound[]> {
    const horizon = now.getTime() + UPCOMING_HORIZON_MS;
    const rounds = [...(await this.rounds()).values()].filter(
      (round) => round.closesAt > now && round.opensAt.getTime() <= horizon,
    );
    const stocks = await this.counters.stockOf(
      rounds.map((round) => ({ campaignId: round.campaignId, roundId: round.id, offerIds: [...round.offers.keys()] })),
    );
    return rounds.map((round, index): ListedRound => {
      return {
        id: round.id,
        campaignId: round.campaignId,
        campaignName: round.campaignName,
        name: round.name,
        mode: round.mode,
        opensAt: round.opensAt.toISOString(),
        closesAt: round.closesAt.toISOString(),
        offers: [...round.offers.values()].map((offer, i) => {
          const counted = stocks[index][i];
          const remaining = counted ? counted.stock - counted.issued : offer.stock - offer.issued;
          return {
            id: offer.id,
            name: offer.name,
            stock: offer.stock,
            remaining: Math.max(0, remaining),
            vouchers: offer.items.map((item) => ({
              voucherTypeId: item.voucherTypeId,
              name: item.name,
              quantity: item.quantity,
              ...item.rules,
            })),
          };
        }),
      };
    });
  }
}
