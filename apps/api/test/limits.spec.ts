import { PROVINCIAL_CAMPAIGN_CODE } from '@quan/demo';
import { ClaimFixture, createClaimFixture } from '@quan/testing';
import { Api, startApi } from './support/api';

/**
 * Every per-person limit counts packs (份): one claim of an offer is one pack, however many vouchers it
 * grants, in the campaign, a round, a business day and each limited category it can be used in.
 */
describe('per-person limits count packs, not vouchers', () => {
  let api: Api;

  beforeAll(async () => {
    api = await startApi();
  });

  afterAll(() => api?.close());

  const claim = async (round: { roundId: string; offerId: string }, token: string) => {
    const reply = await api.call('POST', `/rounds/${round.roundId}/claims`, {
      token,
      body: { offerId: round.offerId },
    });
    return {
      status: reply.status,
      code: reply.body.code,
      limit: reply.body.limit,
      vouchers: (reply.body.vouchers as unknown[] | undefined)?.length,
    };
  };
  const fixture = (limits: Partial<Parameters<typeof createClaimFixture>[2]>): Promise<ClaimFixture> =>
    createClaimFixture(api.db, api.env.config, { stock: 10, residents: 1, ...limits });

  it('gives a whole 5-voucher pack to one claim under perPerson 1, as the demo campaign is configured, and refuses a second pack', async () => {
    const [demo] = await api.db.query(
      `SELECT c.per_person_limit, (SELECT sum(i.quantity)::int FROM offer_items i WHERE i.offer_id = o.id) AS vouchers
         FROM campaigns c JOIN rounds r ON r.campaign_id = c.id JOIN round_offers o ON o.round_id = r.id WHERE c.code = $1 ORDER BY r.opens_at LIMIT 1`,
      [PROVINCIAL_CAMPAIGN_CODE],
    );
    expect(demo).toEqual({ per_person_limit: 1, vouchers: 5 });
    const f = await fixture({ perPersonLimit: 1 });
    // Both rounds' packs: 4 + 1 vouchers.
    await api.db.query(
      `UPDATE offer_items SET quantity = 4 WHERE offer_id = ANY($1) AND voucher_type_id = (SELECT min(voucher_type_id::text)::uuid FROM offer_items WHERE offer_id = $2)`,
      [[f.offerId, f.second.offerId], f.offerId],
    );
    const [resident] = f.residents;
    expect(await claim(f, resident.token)).toMatchObject({ status: 201, vouchers: 5 });
    expect(await claim(f.second, resident.token)).toMatchObject({
      status: 409,
      code: 'LIMIT_REACHED',
      limit: 'campaign',
    });
  });

  it.each([
    ['a round', { perPersonLimit: 2, perPersonRoundLimit: 1 }, 'round'],
    ['a business day', { perPersonLimit: 2, perPersonDailyLimit: 1 }, 'day'],
    ['a category', { perPersonLimit: 2, perPersonCategoryLimits: { catering: 1 } }, 'category'],
    ['the campaign', { perPersonLimit: 1 }, 'campaign'],
  ] as const)('counts one claim of a 2-voucher pack as one pack in %s', async (_name, limits, scope) => {
    const f = await fixture(limits);
    const [resident] = f.residents;
    // A second offer (the same pack) in the first round, so that a second pack of the round can be asked for.
    const [{ id: sameRound }] = await api.db.query(
      `WITH o AS (INSERT INTO round_offers (round_id, name, stock) VALUES ($1, '第二券包', 10) RETURNING id)
       INSERT INTO offer_items (offer_id, voucher_type_id, quantity) SELECT o.id, i.voucher_type_id, i.quantity FROM o, offer_items i WHERE i.offer_id = $2 RETURNING offer_id AS id`,
      [f.roundId, f.offerId],
    );
    expect(await claim(f, resident.token)).toMatchObject({ status: 201, vouchers: 2 });
    const next = scope === 'round' ? { roundId: f.roundId, offerId: sameRound } : f.second;
    expect(await claim(next, resident.token)).toMatchObject({ status: 409, code: 'LIMIT_REACHED', limit: scope });
    // Counting vouchers, the first pack (2) would already have reached perPerson 2.
    if (scope === 'round') expect(await claim(f.second, resident.token)).toMatchObject({ status: 201, vouchers: 2 });
  });
});
