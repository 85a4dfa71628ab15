import { fetch } from 'undici';
import { budgetKey } from '@quan/counters';
import { businessDay } from '@quan/domain';
import { Reconciliation, SettlementRun } from '@quan/settlement';
import { createRedemptionFixture } from '@quan/testing';
import { ListeningApi, listenApi } from './support/http';

describe('from the till to the statement: redemptions through the api are settled and reconcile', () => {
  let api: ListeningApi;

  beforeAll(async () => {
    api = await listenApi();
  });

  afterAll(() => api?.close());

  const post = async (path: string, token: string, body: unknown, key?: string) => {
    const response = await fetch(`${api.base}${path}`, {
      dispatcher: api.clients,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: JSON.stringify(body),
    });
    return {
      status: response.status,
      body: (await response.json()) as { id: string; subsidyFen: number; merchantId: string },
    };
  };

  it("puts every redemption not reversed on one line of its merchant's statement, and the books agree, Redis included", async () => {
    const fixture = await createRedemptionFixture(api.db, api.env.config, {
      residents: 6,
      merchants: 2,
      bureauShareBp: 7000,
    });
    const redeemed = await Promise.all(
      fixture.vouchers.map((voucher, i) =>
        post(
          '/merchant/redemptions',
          fixture.merchants[i % 2].cashierTokens[0],
          { code: voucher.shortCode, orderAmountFen: 6000 + i },
          `settle-${i}`,
        ),
      ),
    );
    expect(redeemed.filter((r) => r.status !== 201)).toEqual([]);
    const reversed = redeemed.slice(0, 3);
    for (const r of reversed) {
      const admin = fixture.merchants.find((m) => m.id === r.body.merchantId)!.adminToken;
      expect((await post(`/merchant/redemptions/${r.body.id}/reversal`, admin, {})).status).toBe(200);
    }

    const day = businessDay(new Date());
    await new SettlementRun(api.db, api.env.config).settleDay(day);
    const kept = redeemed.slice(3);
    const lines = await api.db.query(
      `SELECT redemption_id, amount_fen::int AS amount FROM settlement_lines ORDER BY redemption_id`,
    );
    expect(lines).toEqual(
      kept
        .map((r) => ({ redemption_id: r.body.id, amount: r.body.subsidyFen }))
        .sort((a, b) => a.redemption_id.localeCompare(b.redemption_id)),
    );
    const totals = await api.db.query(
      `SELECT merchant_id, total_fen::int AS total FROM settlement_statements WHERE business_day = $1`,
      [day],
    );
    for (const merchant of fixture.merchants) {
      const owed = kept.filter((r) => r.body.merchantId === merchant.id).reduce((sum, r) => sum + r.body.subsidyFen, 0);
      expect(totals.find((t: { merchant_id: string }) => t.merchant_id === merchant.id)?.total ?? 0).toBe(owed);
    }

    const reconciliation = api.app.get(Reconciliation);
    const report = await reconciliation.run();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);

    // A Redis budget counter that drifted from Postgres is reported.
    await api.redis.hincrby(budgetKey(api.env.config.REDIS_KEY_PREFIX, fixture.campaignId), 'used', 100);
    const drifted = await reconciliation.run();
    expect(drifted.differences).toEqual([
      expect.objectContaining({ check: 'budget_counters', subject: `campaign ${fixture.campaignId} budget` }),
    ]);
  });
});
