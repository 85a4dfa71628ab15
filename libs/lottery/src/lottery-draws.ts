import { Injectable, Logger } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { AppConfig } from '@quan/config';
import { RegistrationCounters } from '@quan/counters';
import { CampaignStatus, RoundMode, ValidityKind } from '@quan/data';
import {
  businessDay,
  drawWinners,
  generateShortCode,
  merkleRoot,
  packEntries,
  startOfBusinessDay,
  timeOrderedUuid,
  ValidityRule,
  voucherValidity,
} from '@quan/domain';
import { LotteryRounds } from './lottery-rounds';

export interface LotteryTick {
  committed: number;
  drawn: number;
  issued: number;
}

interface OfferRow {
  id: string;
  left: number;
}

interface ItemRow {
  offer_id: string;
  voucher_type_id: string;
  quantity: number;
  validity_kind: ValidityKind;
  valid_from: Date | null;
  valid_until: Date | null;
  valid_days: number | null;
  category_codes: string[];
}

interface WinnerRow {
  rank: number;
  offer_id: string;
  resident_id: string;
  identity_id: string;
}

/**
 * The worker's side of lottery rounds, run by its clock: commit to a seed for every published lottery
 * round, and draw each round whose time has come, exactly once. The draw itself (list, root, winners) is
 * one transaction; giving the winners their vouchers goes on in chunks of LOTTERY_WINNERS_PER_CHUNK, each
 * its own transaction that marks its winners done, so a killed worker's successor finishes the rest with
 * the same winners (docs/lottery.md).
 */
@Injectable()
export class LotteryDraws {
  private readonly logger = new Logger(LotteryDraws.name);

  constructor(
    private readonly dataSource: DataSource,
    private readonly rounds: LotteryRounds,
    private readonly counters: RegistrationCounters,
    private readonly config: AppConfig,
  ) {}

  async tick(): Promise<LotteryTick> {
    const committed = await this.rounds.commitDue();
    // Registrations decided before the window closed may commit up to CLAIM_UNCOMMITTED_AFTER_MS later:
    // the list is final only then.
    const due = (await this.dataSource.query(
      `SELECT r.id, d.drawn_at FROM rounds r JOIN campaigns c ON c.id = r.campaign_id
         LEFT JOIN lottery_draws d ON d.round_id = r.id
        WHERE r.mode = $1 AND c.status IN ($2, $3, $4) AND d.issued_at IS NULL
          AND greatest(r.draw_at, r.closes_at + $5 * interval '1 millisecond') <= now()
        ORDER BY r.draw_at`,
      [
        RoundMode.Lottery,
        CampaignStatus.Published,
        CampaignStatus.Running,
        CampaignStatus.Ended,
        this.config.CLAIM_UNCOMMITTED_AFTER_MS,
      ],
    )) as { id: string; drawn_at: Date | null }[];
    let drawn = 0;
    let issued = 0;
    for (const round of due) {
      if (!round.drawn_at && (await this.draw(round.id))) drawn++;
      issued += await this.issue(round.id);
    }
    return { committed, drawn, issued };
  }

  /** Draws the round's winners, unless it is drawn already; true when this call drew. */
  async draw(roundId: string): Promise<boolean> {
    const round = (await this.rounds.get(roundId))!;
    await this.rounds.commitment(round);
    return this.dataSource.transaction(async (tx) => {
      const [draw] = (await tx.query(`SELECT seed, drawn_at FROM lottery_draws WHERE round_id = $1 FOR UPDATE`, [
        roundId,
      ])) as { seed: string; drawn_at: Date | null }[];
      if (draw.drawn_at) return false;
      const registrations = (await tx.query(
        `SELECT id, entry FROM lottery_registrations WHERE round_id = $1 ORDER BY entry COLLATE "C"`,
        [roundId],
      )) as { id: string; entry: string }[];
      const offers = (await tx.query(
        `SELECT id, greatest(stock - issued, 0)::int AS left FROM round_offers WHERE round_id = $1 ORDER BY sort_order, name, id`,
        [roundId],
      )) as OfferRow[];
      const stock = offers.reduce((total, offer) => total + offer.left, 0);
      const root = merkleRoot(packEntries(registrations.map((r) => r.entry)));
      const positions = drawWinners(draw.seed, root, registrations.length, stock);
      // Winners take the offers in their order: the first `left` ranks the first offer, and so on.
      const offerOfRank: string[] = offers.flatMap((offer) => Array<string>(offer.left).fill(offer.id));
      await tx.query(
        `INSERT INTO lottery_winners (round_id, rank, registration_id, entry, offer_id)
         SELECT $1, rank - 1, registration_id, entry, offer_id
           FROM unnest($2::uuid[], $3::text[], $4::uuid[]) WITH ORDINALITY AS w(registration_id, entry, offer_id, rank)`,
        [
          roundId,
          positions.map((p) => registrations[p].id),
          positions.map((p) => registrations[p].entry),
          positions.map((_, rank) => offerOfRank[rank]),
        ],
      );
      await tx.query(
        `UPDATE lottery_draws SET merkle_root = $2, entries = $3, stock = $4, drawn_at = now() WHERE round_id = $1`,
        [roundId, root, registrations.length, stock],
      );
      this.logger.log(
        { roundId, entries: registrations.length, stock, winners: positions.length, root },
        'lottery drawn',
      );
      return true;
    });
  }

  /** Gives the drawn winners not yet served their vouchers, chunk by chunk; the number given. */
  async issue(roundId: string): Promise<number> {
    const round = (await this.rounds.get(roundId))!;
    let issued = 0;
    for (;;) {
      const chunk = await this.dataSource.transaction((tx) => this.issueChunk(tx, round.id, round.campaignId));
      if (chunk === undefined) break;
      issued += chunk.winners.length;
      // Redis learns the winners' counts once Postgres has them; a failure here only leaves counts low, which
      // Postgres's unique person sequence still backs.
      await this.counters
        .countWinners({ campaignId: round.campaignId, roundId, ...chunk })
        .catch((error: unknown) =>
          this.logger.warn({ roundId, error: String(error) }, 'winner counts not written to Redis'),
        );
    }
    await this.dataSource.query(
      `UPDATE lottery_draws SET issued_at = now() WHERE round_id = $1 AND drawn_at IS NOT NULL AND issued_at IS NULL
          AND NOT EXISTS (SELECT 1 FROM lottery_winners WHERE round_id = $1 AND outcome IS NULL)`,
      [roundId],
    );
    return issued;
  }

  /**
   * One chunk of winners: each gets one pack of their offer as a claim of the round, unless the campaign's
   * per-person limits (in the campaign, on the day, per limited category) are used up by claims the person
   * made elsewhere; then the winner is marked `limit` and the stock stays. Undefined when no winner is left.
   */
  private async issueChunk(
    tx: EntityManager,
    roundId: string,
    campaignId: string,
  ): Promise<{ businessDay: string; winners: { identityId: string; categories: string[] }[] } | undefined> {
    const winners = (await tx.query(
      `SELECT w.rank, w.offer_id, g.resident_id, g.identity_id
         FROM lottery_winners w JOIN lottery_registrations g ON g.id = w.registration_id
        WHERE w.round_id = $1 AND w.outcome IS NULL ORDER BY w.rank LIMIT $2 FOR UPDATE OF w SKIP LOCKED`,
      [roundId, this.config.LOTTERY_WINNERS_PER_CHUNK],
    )) as WinnerRow[];
    if (winners.length === 0) return undefined;
    const claimedAt = new Date();
    const [limits] = (await tx.query(
      `SELECT per_person_limit AS campaign, per_person_daily_limit AS day, per_person_category_limits AS categories
         FROM campaigns WHERE id = $1`,
      [campaignId],
    )) as { campaign: number; day: number | null; categories: Record<string, number> }[];
    const held = new Map(
      (
        (await tx.query(
          `SELECT identity_id, count(*)::int AS n, max(person_seq)::int AS seq, count(*) FILTER (WHERE claimed_at >= $3)::int AS today
             FROM claims WHERE campaign_id = $1 AND identity_id = ANY($2::uuid[]) GROUP BY identity_id`,
          [campaignId, winners.map((w) => w.identity_id), startOfBusinessDay(claimedAt)],
        )) as { identity_id: string; n: number; seq: number; today: number }[]
      ).map((row) => [row.identity_id, row]),
    );
    // Claims per limited category, counted as claim.lua counts them: a claim counts in each limited category
    // that one of its vouchers can be used in (a voucher type without categories can be used in every one).
    const inCategory = new Map(
      (
        (await tx.query(
          `SELECT c.identity_id || '/' || l.code AS key, count(DISTINCT c.id)::int AS n
             FROM claims c
             JOIN offer_items i ON i.offer_id = c.offer_id
             JOIN voucher_types t ON t.id = i.voucher_type_id
             CROSS JOIN jsonb_object_keys($3::jsonb) AS l(code)
            WHERE c.campaign_id = $1 AND c.identity_id = ANY($2::uuid[])
              AND (cardinality(t.category_codes) = 0 OR l.code = ANY(t.category_codes))
            GROUP BY c.identity_id, l.code`,
          [campaignId, winners.map((w) => w.identity_id), JSON.stringify(limits.categories)],
        )) as { key: string; n: number }[]
      ).map((row) => [row.key, row.n]),
    );
    const items = (await tx.query(
      `SELECT i.offer_id, i.voucher_type_id, i.quantity, t.validity_kind, t.valid_from, t.valid_until, t.valid_days,
              t.category_codes
         FROM offer_items i JOIN voucher_types t ON t.id = i.voucher_type_id JOIN round_offers o ON o.id = i.offer_id
        WHERE o.round_id = $1`,
      [roundId],
    )) as ItemRow[];
    const limitedCategoriesOf = (offerId: string) =>
      Object.keys(limits.categories).filter((code) =>
        items.some(
          (item) =>
            item.offer_id === offerId && (item.category_codes.length === 0 || item.category_codes.includes(code)),
        ),
      );
    const eligible = winners.filter((w) => {
      const person = held.get(w.identity_id);
      const withinCategories = limitedCategoriesOf(w.offer_id).every(
        (code) => (inCategory.get(`${w.identity_id}/${code}`) ?? 0) < limits.categories[code],
      );
      return (
        withinCategories &&
        (!person || (person.n < limits.campaign && (limits.day === null || person.today < limits.day)))
      );
    });
    const claims = eligible.map((w) => ({ ...w, id: timeOrderedUuid(), seq: (held.get(w.identity_id)?.seq ?? 0) + 1 }));
    const vouchers = claims.flatMap((claim, n) =>
      items
        .filter((item) => item.offer_id === claim.offer_id)
        .flatMap((item) =>
          Array.from({ length: item.quantity }, () => ({
            n: n + 1,
            id: timeOrderedUuid(),
            typeId: item.voucher_type_id,
            code: generateShortCode(),
            ...voucherValidity(validityOf(item), claimedAt),
          })),
        ),
    );
    await tx.query(
      `WITH c AS (
         SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::uuid[], $5::int[]) WITH ORDINALITY AS c(id, offer_id, resident_id, identity_id, person_seq, n)
       ), new_claims AS (
         INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, idempotency_key, claimed_at)
         SELECT id, $6, $7, offer_id, resident_id, identity_id, person_seq, NULL, $8 FROM c
       ), new_vouchers AS (
         INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
         SELECT v.id, c.id, $6, v.type_id, c.resident_id, v.code, v.valid_from, v.valid_until, $8
           FROM unnest($9::int[], $10::uuid[], $11::text[], $12::timestamptz[], $13::timestamptz[], $14::uuid[]) AS v(n, type_id, code, valid_from, valid_until, id)
           JOIN c ON c.n = v.n
       )
       UPDATE round_offers o SET issued = o.issued + v.n
         FROM (SELECT offer_id, count(*)::int AS n FROM c GROUP BY offer_id) v WHERE o.id = v.offer_id`,
      [
        claims.map((c) => c.id),
        claims.map((c) => c.offer_id),
        claims.map((c) => c.resident_id),
        claims.map((c) => c.identity_id),
        claims.map((c) => c.seq),
        campaignId,
        roundId,
        claimedAt,
        vouchers.map((v) => v.n),
        vouchers.map((v) => v.typeId),
        vouchers.map((v) => v.code),
        vouchers.map((v) => v.validFrom),
        vouchers.map((v) => v.validUntil),
        vouchers.map((v) => v.id),
      ],
    );
    const claimOfRank = new Map(claims.map((c) => [c.rank, c.id]));
    await tx.query(
      `UPDATE lottery_winners w SET claim_id = u.claim_id, outcome = CASE WHEN u.claim_id IS NULL THEN 'limit' ELSE 'issued' END
         FROM unnest($2::int[], $3::uuid[]) AS u(rank, claim_id) WHERE w.round_id = $1 AND w.rank = u.rank`,
      [roundId, winners.map((w) => w.rank), winners.map((w) => claimOfRank.get(w.rank) ?? null)],
    );
    return {
      businessDay: businessDay(claimedAt),
      winners: claims.map((c) => ({ identityId: c.identity_id, categories: limitedCategoriesOf(c.offer_id) })),
    };
  }
}

function validityOf(item: ItemRow): ValidityRule {
  return item.validity_kind === ValidityKind.FixedWindow
    ? { kind: 'fixed_window', validFrom: item.valid_from!, validUntil: item.valid_until! }
    : { kind: 'days_from_claim', days: item.valid_days! };
}
