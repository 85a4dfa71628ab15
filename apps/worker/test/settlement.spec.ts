import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import Redis from 'ioredis';
import { DataSource } from 'typeorm';
import { configWith } from '@quan/config';
import { CampaignCounters } from '@quan/counters';
import { AuditLog, createDataSource, RunStatus, SettlementRunRecord } from '@quan/data';
import { generateShortCode } from '@quan/domain';
import { Reconciliation, RunTracker, SettlementRun } from '@quan/settlement';
import {
  createClaimFixture,
  createSettlementFixture,
  createTestEnvironment,
  reverseRedemptions,
  TestEnvironment,
} from '@quan/testing';

interface Totals {
  statements: number;
  lines: number;
  duplicateLines: number;
  statementTotals: string;
  lineTotals: string;
}

describe('settlement (T+1)', () => {
  let env: TestEnvironment;
  let db: DataSource;
  let redis: Redis;
  let run: SettlementRun;
  let reconciliation: Reconciliation;

  const totals = async (campaignId: string): Promise<Totals> => {
    const [row] = await db.query(
      `SELECT (SELECT count(*)::int FROM settlement_statements s WHERE s.merchant_id IN (SELECT merchant_id FROM redemptions WHERE campaign_id = $1)) AS statements,
              count(l.*)::int AS lines,
              (SELECT count(*)::int FROM (SELECT redemption_id FROM settlement_lines GROUP BY redemption_id, kind HAVING count(*) > 1) d) AS "duplicateLines",
              (SELECT coalesce(sum(total_fen), 0)::text FROM settlement_statements s WHERE s.merchant_id IN (SELECT merchant_id FROM redemptions WHERE campaign_id = $1)) AS "statementTotals",
              coalesce(sum(l.amount_fen), 0)::text AS "lineTotals"
         FROM settlement_lines l JOIN redemptions r ON r.id = l.redemption_id WHERE r.campaign_id = $1`,
      [campaignId],
    );
    return row;
  };
  const activeSubsidy = async (campaignId: string, day: string) =>
    (
      await db.query(
        `SELECT sum(subsidy_fen)::text AS s, count(*)::int AS n FROM redemptions WHERE campaign_id = $1 AND business_day = $2 AND reversed_at IS NULL`,
        [campaignId, day],
      )
    )[0] as { s: string; n: number };

  beforeAll(async () => {
    Logger.overrideLogger(false);
    env = await createTestEnvironment({ SETTLEMENT_MERCHANTS_PER_CHUNK: 3 });
    db = createDataSource(env.config);
    await db.initialize();
    redis = new Redis(env.config.REDIS_URL);
    run = new SettlementRun(db, env.config);
    reconciliation = new Reconciliation(db, db, new CampaignCounters(db, redis, env.config));
  });

  afterAll(async () => {
    redis?.disconnect();
    await db?.destroy();
    await env?.dispose();
  });

  it('settles a day: one line per redemption not reversed that day, statement totals = Σ subsidies; a re-run adds nothing', async () => {
    const day = '2026-10-01';
    const { campaignId, merchantIds } = await createSettlementFixture(db, {
      merchants: 8,
      redemptionsPerMerchant: 25,
      businessDay: day,
      reverseEvery: 5,
    });
    const active = await activeSubsidy(campaignId, day);
    expect(active.n).toBe(8 * 20);

    expect(await run.settleDay(day)).toEqual({
      businessDay: day,
      merchants: 8,
      redemptionLines: 160,
      adjustmentLines: 0,
    });
    expect(await totals(campaignId)).toEqual({
      statements: 8,
      lines: 160,
      duplicateLines: 0,
      statementTotals: active.s,
      lineTotals: active.s,
    });
    const statements: { merchant_id: string; redemption_count: number; total_fen: string }[] = await db.query(
      `SELECT merchant_id, redemption_count, total_fen::text FROM settlement_statements WHERE business_day = $1`,
      [day],
    );
    expect(statements.map((s) => s.merchant_id).sort()).toEqual([...merchantIds].sort());
    expect(statements.every((s) => s.redemption_count === 20)).toBe(true);

    expect(await run.settleDay(day)).toEqual({
      businessDay: day,
      merchants: 8,
      redemptionLines: 0,
      adjustmentLines: 0,
    });
    expect(await totals(campaignId)).toEqual({
      statements: 8,
      lines: 160,
      duplicateLines: 0,
      statementTotals: active.s,
      lineTotals: active.s,
    });
    expect((await db.query(`SELECT 1 FROM settled_days WHERE business_day = $1`, [day])).length).toBe(1);
  });

  it('runs of the same day racing each other still give exactly one line per redemption', async () => {
    const day = '2026-10-02';
    const { campaignId } = await createSettlementFixture(db, {
      merchants: 12,
      redemptionsPerMerchant: 40,
      businessDay: day,
    });
    const runs = await Promise.all([
      run.settleDay(day),
      new SettlementRun(db, configWith(env.config, { SETTLEMENT_MERCHANTS_PER_CHUNK: 5 })).settleDay(day),
      run.settleDay(day),
    ]);
    expect(runs.reduce((sum, outcome) => sum + outcome.redemptionLines, 0)).toBe(480);
    const active = await activeSubsidy(campaignId, day);
    expect(await totals(campaignId)).toEqual({
      statements: 12,
      lines: 480,
      duplicateLines: 0,
      statementTotals: active.s,
      lineTotals: active.s,
    });
  });

  it('a reversal after its day was settled becomes one adjustment in the next statement, and the books still reconcile', async () => {
    const [day, next, later] = ['2026-10-05', '2026-10-06', '2026-10-07'];
    const { campaignId, merchantIds } = await createSettlementFixture(db, {
      merchants: 2,
      redemptionsPerMerchant: 10,
      businessDay: day,
    });
    await run.settleDay(day);
    const [first, second]: { id: string; subsidy_fen: string }[] = await db.query(
      `SELECT id, subsidy_fen::text FROM redemptions WHERE merchant_id = $1 ORDER BY idempotency_key LIMIT 2`,
      [merchantIds[0]],
    );
    await reverseRedemptions(db, [first.id], next);

    // The outbox consumer adjusts at once (twice: a redelivered job changes nothing) …
    expect(await run.adjustReversal(first.id, merchantIds[0], next)).toBe(1);
    expect(await run.adjustReversal(first.id, merchantIds[0], next)).toBe(0);
    // … and the next day's run takes a reversal whose event has not been consumed.
    await reverseRedemptions(db, [second.id], next);
    expect(await run.settleDay(next)).toMatchObject({ merchants: 1, redemptionLines: 0, adjustmentLines: 1 });
    expect(await run.settleDay(later)).toMatchObject({ merchants: 0, adjustmentLines: 0 });

    const [statement] = await db.query(
      `SELECT total_fen::text, redemption_count, adjustment_count FROM settlement_statements WHERE merchant_id = $1 AND business_day = $2`,
      [merchantIds[0], next],
    );
    expect(statement).toEqual({
      total_fen: String(-Number(first.subsidy_fen) - Number(second.subsidy_fen)),
      redemption_count: 0,
      adjustment_count: 2,
    });
    const { s: active } = await activeSubsidy(campaignId, day);
    expect((await totals(campaignId)).lineTotals).toBe(active);

    const report = await reconciliation.run();
    expect(report.differences).toEqual([]);
    expect(report.ok).toBe(true);
  });

  it('keeps approved statements final and the approver apart from the submitter, in Postgres', async () => {
    const day = '2026-10-08';
    const { merchantIds } = await createSettlementFixture(db, {
      merchants: 1,
      redemptionsPerMerchant: 3,
      businessDay: day,
    });
    await run.settleDay(day);
    const [{ id }] = await db.query(`SELECT id FROM settlement_statements WHERE merchant_id = $1`, [merchantIds[0]]);
    const [maker, checker] = ['00000000-0000-4000-8000-000000000001', '00000000-0000-4000-8000-000000000002'];

    await expect(
      db.query(
        `UPDATE settlement_statements SET status = 'submitted', submitted_by_id = $2, total_fen = total_fen + 1 WHERE id = $1`,
        [id, maker],
      ),
    ).rejects.toThrow(/does not add up/);
    await db.query(`UPDATE settlement_statements SET status = 'submitted', submitted_by_id = $2 WHERE id = $1`, [
      id,
      maker,
    ]);
    await expect(
      db.query(
        `INSERT INTO settlement_lines (redemption_id, kind, statement_id, amount_fen, redemption_day) VALUES (gen_random_uuid(), 'redemption', $1, 100, $2)`,
        [id, day],
      ),
    ).rejects.toThrow(/only be added to open statements/);
    await expect(
      db.query(`UPDATE settlement_statements SET status = 'approved', approved_by_id = $2 WHERE id = $1`, [id, maker]),
    ).rejects.toThrow(/ck_settlement_statements_checker/);
    await db.query(`UPDATE settlement_statements SET status = 'approved', approved_by_id = $2 WHERE id = $1`, [
      id,
      checker,
    ]);

    await expect(db.query(`UPDATE settlement_statements SET generated_at = now() WHERE id = $1`, [id])).rejects.toThrow(
      /is final/,
    );
    await expect(db.query(`DELETE FROM settlement_statements WHERE id = $1`, [id])).rejects.toThrow(/is final/);
    await expect(db.query(`UPDATE settlement_lines SET amount_fen = 0 WHERE statement_id = $1`, [id])).rejects.toThrow(
      /never changed/,
    );
    await expect(db.query(`DELETE FROM settlement_lines WHERE statement_id = $1`, [id])).rejects.toThrow(
      /never changed/,
    );
  });

  it('reconciliation reports and logs a difference between campaign spend and the redemptions', async () => {
    const { campaignId } = await createSettlementFixture(db, {
      merchants: 1,
      redemptionsPerMerchant: 2,
      businessDay: '2026-10-09',
    });
    await db.query(`UPDATE campaign_spend SET redeemed_subsidy_fen = redeemed_subsidy_fen + 1 WHERE campaign_id = $1`, [
      campaignId,
    ]);
    const report = await reconciliation.run();
    expect(report.ok).toBe(false);
    expect(report.differences).toContainEqual(
      expect.objectContaining({ check: 'campaign_spend', subject: `campaign ${campaignId}` }),
    );
    expect((await reconciliation.latest()).id).toBe(report.id);
  });

  it('reconciliation reports a claim without its resident or identity, and a voucher of another resident than its claim', async () => {
    const fixture = await createClaimFixture(db, env.config, { stock: 1, residents: 1 });
    const [resident] = fixture.residents;
    const [claimId, voucherId] = [randomUUID(), randomUUID()];
    await db.query(
      `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at) VALUES ($1, $2, $3, $4, $5, $6, 1, now())`,
      [claimId, fixture.campaignId, fixture.roundId, fixture.offerId, resident.id, resident.identityId],
    );
    await db.query(
      `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
       VALUES ($1, $2, $3, $4, $5, $6, now(), now() + interval '7 days', now())`,
      [voucherId, claimId, fixture.campaignId, randomUUID(), resident.id, generateShortCode()],
    );
    const ours = async () =>
      (await reconciliation.run()).differences.filter(
        (d) => d.check === 'claim_owners' && [`claim ${claimId}`, `voucher ${voucherId}`].includes(d.subject),
      );
    expect(await ours()).toEqual([]);

    const nobody = randomUUID();
    await db.query(`UPDATE claims SET resident_id = $2, identity_id = $2 WHERE id = $1`, [claimId, nobody]);
    expect(await ours()).toEqual([
      {
        check: 'claim_owners',
        subject: `claim ${claimId}`,
        expected: 'its resident and identity',
        actual: `no resident ${nobody}, no identity ${nobody}`,
      },
      {
        check: 'claim_owners',
        subject: `voucher ${voucherId}`,
        expected: `resident ${nobody}, as its claim`,
        actual: `resident ${resident.id}`,
      },
    ]);
  });

  it('tracks a run asked for through the API: a failed attempt keeps it running with its error, the last one fails it, a finished run is not run again', async () => {
    const tracker = new RunTracker(db);
    const [{ id }] = await db.query(
      `INSERT INTO settlement_runs (kind, business_day, subject, requested_by_id) VALUES ('settle_day', '2026-10-20', 'settle_day:2026-10-20', $1) RETURNING id`,
      [randomUUID()],
    );
    const run = () => db.getRepository(SettlementRunRecord).findOneByOrFail({ id });
    const broken = () => Promise.reject(new Error('Postgres went away'));

    await expect(tracker.track(id, false, broken)).rejects.toThrow('Postgres went away');
    expect(await run()).toMatchObject({ status: RunStatus.Running, error: 'Postgres went away', finishedAt: null });
    await expect(tracker.track(id, true, broken)).rejects.toThrow('Postgres went away');
    expect(await run()).toMatchObject({
      status: RunStatus.Failed,
      error: 'Postgres went away',
      finishedAt: expect.any(Date),
    });
    expect(await db.getRepository(AuditLog).findBy({ entityId: id })).toEqual([
      expect.objectContaining({
        action: 'settlement.run.fail',
        actorId: null,
        actorRole: 'system',
        before: expect.objectContaining({ status: 'running' }),
        after: expect.objectContaining({ status: 'failed' }),
      }),
    ]);

    const work = jest.fn(async () => ({ redemptionLines: 0 }));
    expect(await tracker.track(id, true, work)).toBeNull();
    expect(work).not.toHaveBeenCalled();
  });
});
