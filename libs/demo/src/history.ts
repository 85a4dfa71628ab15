import { EntityManager } from 'typeorm';
import { OfferItem, Round, RoundMode, RoundOffer } from '@quan/data';
import { businessDay, businessDayStart, generateShortCode } from '@quan/domain';

const HOUR_MS = 3600 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Business days of daily rounds before the settled day (the campaign's first round is the day before them). */
export const HISTORY_DAYS = 12;
/** Merchants per county that residents redeem at, each of another category (the categories rotate across counties). */
const MERCHANTS_PER_COUNTY = 4;

export interface HistoryCampaign {
  id: string;
  voucherTypeId: string;
  validFrom: Date;
  validUntil: Date;
}

/**
 * Two weeks of a campaign's life before its settled day: a first-come round each day at 10:00 (第二场 …),
 * sold out within the hour to 250–400 residents, most of whom redeem the same day or within two days at
 * merchants of every county and category (orders of 50 to 300 yuan, 满50减10, 1 in 40 reversed the same day).
 * Inserted set-based, as the claim and redemption paths commit them: identities, residents, claims,
 * vouchers (redeemed, or claimed when not redeemed or reversed), redemptions, `issued` of each offer.
 * Every day ends before `lastDay` (the settled day), which keeps its own seed.
 */
export async function seedHistory(
  manager: EntityManager,
  campaign: HistoryCampaign,
  lastDay: string,
): Promise<string[]> {
  const days = Array.from({ length: HISTORY_DAYS }, (_, i) =>
    businessDay(new Date(businessDayStart(lastDay).getTime() - (HISTORY_DAYS - i) * DAY_MS)),
  );
  const offers: string[] = [];
  for (const [i, day] of days.entries()) {
    const opensAt = new Date(businessDayStart(day).getTime() + 10 * HOUR_MS);
    const round = await manager.save(
      manager.create(Round, {
        campaignId: campaign.id,
        name: `第${i + 2}场`,
        mode: RoundMode.FirstCome,
        opensAt,
        closesAt: new Date(opensAt.getTime() + 12 * HOUR_MS),
      }),
    );
    const offer = await manager.save(
      manager.create(RoundOffer, { roundId: round.id, name: '满50减10 单张', stock: claimsOn(i) }),
    );
    await manager.save(
      manager.create(OfferItem, { offerId: offer.id, voucherTypeId: campaign.voucherTypeId, quantity: 1 }),
    );
    offers.push(offer.id);
  }
  const total = days.reduce((sum, _, i) => sum + claimsOn(i), 0);
  await manager.query(
    `CREATE TEMP TABLE demo_history ON COMMIT DROP AS
     WITH slots AS (
       SELECT d.day, d.offer_id, s.k, row_number() OVER (ORDER BY d.i, s.k) AS n
         FROM (SELECT i, day, offer_id, $3::int[] AS claims
                 FROM unnest($1::date[], $2::uuid[]) WITH ORDINALITY AS x(day, offer_id, i)) d,
              generate_series(1, d.claims[d.i::int]) AS s(k)
     ), shops AS (
       SELECT array_agg(m.id ORDER BY m.county_code, m.category_code) AS ids,
              array_agg(c.id ORDER BY m.county_code, m.category_code) AS cashiers
         FROM (SELECT id, county_code, category_code,
                      row_number() OVER (PARTITION BY county_code, category_code ORDER BY licence_no) AS r,
                      dense_rank() OVER (ORDER BY category_code) AS category,
                      dense_rank() OVER (ORDER BY county_code) AS county
                 FROM merchants WHERE status = 'approved') m
         JOIN LATERAL (SELECT id FROM staff_accounts WHERE merchant_id = m.id AND role = 'cashier'
                        ORDER BY username LIMIT 1) c ON true
        WHERE m.r = 1 AND (m.category + m.county) % 7 < $4
     )
     SELECT s.n, s.day, s.offer_id, gen_random_uuid() AS identity_id, gen_random_uuid() AS resident_id,
            gen_random_uuid() AS claim_id, gen_random_uuid() AS voucher_id, gen_random_uuid() AS redemption_id,
            (s.day::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '10 hours' + s.k * interval '7 seconds'
              AS claimed_at,
            s.n % 10 < 7 AS redeemed, s.n % 40 = 0 AS reversed,
            least(s.day + (s.n % 3)::int, $5::date - 1) AS redeem_day,
            sh.ids[(1 + (s.n * 7) % array_length(sh.ids, 1))::int] AS merchant_id,
            sh.cashiers[(1 + (s.n * 7) % array_length(sh.ids, 1))::int] AS cashier_id,
            5000 + (s.n * 173) % 25000 AS order_fen, codes.code
       FROM slots s CROSS JOIN shops sh JOIN unnest($6::text[]) WITH ORDINALITY AS codes(code, n) ON codes.n = s.n`,
    [
      days,
      offers,
      days.map((_, i) => claimsOn(i)),
      MERCHANTS_PER_COUNTY,
      lastDay,
      Array.from({ length: total }, () => generateShortCode()),
    ],
  );
  await manager.query(
    `INSERT INTO identities (id, id_number_hash, name_masked)
     SELECT identity_id, encode(sha256(convert_to('quan-demo:history-identity-' || n, 'UTF8')), 'hex'), '居民' || n || '*'
       FROM demo_history`,
  );
  await manager.query(
    `INSERT INTO residents (id, phone_hash, phone_masked, identity_id)
     SELECT resident_id, encode(sha256(convert_to('quan-demo:history-phone-' || n, 'UTF8')), 'hex'),
            '137****' || lpad((n % 10000)::text, 4, '0'), identity_id
       FROM demo_history`,
  );
  await manager.query(
    `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at)
     SELECT h.claim_id, $1, o.round_id, h.offer_id, h.resident_id, h.identity_id, 1, h.claimed_at
       FROM demo_history h JOIN round_offers o ON o.id = h.offer_id`,
    [campaign.id],
  );
  await manager.query(
    `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, status, valid_from,
                           valid_until, claimed_at)
     SELECT voucher_id, claim_id, $1, $2, resident_id, code,
            CASE WHEN redeemed AND NOT reversed THEN 'redeemed' ELSE 'claimed' END::voucher_status, $3, $4, claimed_at
       FROM demo_history`,
    [campaign.id, campaign.voucherTypeId, campaign.validFrom, campaign.validUntil],
  );
  await manager.query(
    `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id,
                              order_amount_fen, discount_fen, subsidy_fen, merchant_funded_fen, business_day,
                              redeemed_at, idempotency_key, reversed_at, reversed_by_id, reversal_business_day)
     SELECT redemption_id, voucher_id, $1, $2, resident_id, merchant_id, cashier_id, order_fen, 1000, 1000, 0,
            redeem_day, at, 'demo-history-' || n, CASE WHEN reversed THEN at + interval '5 minutes' END,
            CASE WHEN reversed THEN cashier_id END, CASE WHEN reversed THEN redeem_day END
       FROM (SELECT *, greatest(claimed_at + interval '2 hours',
                                (redeem_day::timestamp AT TIME ZONE 'Asia/Shanghai') + interval '11 hours')
                       + (n % 600) * interval '1 minute' AS at
               FROM demo_history WHERE redeemed) h`,
    [campaign.id, campaign.voucherTypeId],
  );
  await manager.query(
    `UPDATE round_offers o SET issued = c.n
       FROM (SELECT offer_id, count(*)::int AS n FROM demo_history GROUP BY offer_id) c WHERE o.id = c.offer_id`,
  );
  return days;
}

/** How many residents claim on the i-th day: between 250 and 400, never the same two days running. */
function claimsOn(i: number): number {
  return 250 + ((i * 53) % 150);
}
