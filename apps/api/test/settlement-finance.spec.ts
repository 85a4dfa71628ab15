import { Queue, UnrecoverableError, Worker } from 'bullmq';
import { queuePrefix, QueueName, runJobId, SettlementJob, SystemJob } from '@quan/data';
import { businessDay } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import { createSettlementFixture, startCompiledService, StartedProcess } from '@quan/testing';
import { Api, startApi } from './support/api';
import { AppliedMerchant, approvedMerchant } from './support/merchants';
import { statementAt } from './support/settlement';

const PAST_DAY = '2026-06-01';

interface Run {
  id: string;
  kind: string;
  businessDay: string | null;
  status: string;
  settled: { businessDay: string; merchants: number; redemptionLines: number; adjustmentLines: number } | null;
  reconciliation: { reportId: string; ok: boolean; differences: number } | null;
}

interface BatchItem {
  id: string;
  status: string;
  totalFen: number;
  transferCount: number;
  pendingCount: number;
  paidCount: number;
  failedCount: number;
}

describe('what finance needs beyond statements: the payout batch list and runs on demand', () => {
  let api: Api;
  let tokens: { admin: string; finance: string; auditor: string; adminOfB: string };
  let merchantA: AppliedMerchant;
  let merchantB: AppliedMerchant;

  beforeAll(async () => {
    api = await startApi();
    const admin = await api.login('admin');
    merchantA = await approvedMerchant(api, admin);
    merchantB = await approvedMerchant(api, admin);
    tokens = {
      admin,
      finance: await api.login('finance'),
      auditor: await api.login('auditor'),
      adminOfB: await api.login(merchantB.adminUsername, merchantB.adminPassword),
    };
  });

  afterAll(() => api?.close());

  describe('GET /settlement/payout-batches', () => {
    let older: { id: string; transfers: { id: string; merchantId: string; amountFen: number }[] };
    let newer: { id: string };

    beforeAll(async () => {
      // The older batch pays A and B and is made on 2026-11-01; both transfers come back paid. The newer one pays A again, still pending.
      await statementAt(api.db, merchantA.id, 'approved', 1500);
      await statementAt(api.db, merchantB.id, 'approved', 2500);
      older = (await api.call('POST', '/settlement/payout-batches', { token: tokens.finance, body: {} }))
        .body as typeof older;
      await api.db.query(`UPDATE payout_batches SET created_at = '2026-11-01T10:00:00+08:00' WHERE id = $1`, [
        older.id,
      ]);
      for (const transfer of older.transfers) {
        await api.call('POST', `/settlement/payout-batches/${older.id}/transfers/${transfer.id}/outcome`, {
          token: tokens.finance,
          body: { status: 'paid' },
        });
      }
      await statementAt(api.db, merchantA.id, 'approved', 3000);
      newer = (await api.call('POST', '/settlement/payout-batches', { token: tokens.finance, body: {} }))
        .body as typeof newer;
    });

    const list = async (query: string, token = tokens.finance) => {
      const reply = await api.call('GET', `/settlement/payout-batches${query}`, { token });
      expect(reply.status).toBe(200);
      return reply.body as unknown as { items: BatchItem[]; total: number; limit: number; offset: number };
    };

    it('lists batches newest first with their status and figures, paged with the total', async () => {
      const page = await list('');
      expect(page).toMatchObject({ total: 2, limit: 50, offset: 0 });
      expect(page.items).toEqual([
        expect.objectContaining({
          id: newer.id,
          status: 'pending',
          totalFen: 3000,
          transferCount: 1,
          pendingCount: 1,
          paidCount: 0,
          failedCount: 0,
        }),
        expect.objectContaining({
          id: older.id,
          status: 'completed',
          totalFen: 4000,
          transferCount: 2,
          pendingCount: 0,
          paidCount: 2,
          failedCount: 0,
        }),
      ]);
      expect(await list('?limit=1&offset=1')).toEqual({
        items: [expect.objectContaining({ id: older.id })],
        total: 2,
        limit: 1,
        offset: 1,
      });
      expect((await list('', tokens.auditor)).total).toBe(2);
      // The batch's own view says the same.
      expect(
        (await api.call('GET', `/settlement/payout-batches/${older.id}`, { token: tokens.finance })).body,
      ).toMatchObject({ status: 'completed', totalFen: 4000 });
    });

    it('filters by status and by the business day a batch was made on (from and to inclusive)', async () => {
      expect((await list('?status=completed')).items.map((b) => b.id)).toEqual([older.id]);
      expect((await list('?status=pending')).items.map((b) => b.id)).toEqual([newer.id]);
      expect((await list('?from=2026-11-01&to=2026-11-01')).items.map((b) => b.id)).toEqual([older.id]);
      expect((await list('?from=2026-11-02')).items.map((b) => b.id)).toEqual([newer.id]);
      expect(await list('?to=2026-10-31')).toMatchObject({ items: [], total: 0 });
    });

    it("shows a merchant admin only the batches paying its merchant, with its own transfer's figures", async () => {
      const ofB = older.transfers.find((transfer) => transfer.merchantId === merchantB.id)!;
      expect((await list('', tokens.adminOfB)).items).toEqual([
        expect.objectContaining({ id: older.id, totalFen: ofB.amountFen, transferCount: 1, paidCount: 1 }),
      ]);
    });

    it('refuses unknown parameters and malformed filters with 400, and other roles with 403', async () => {
      for (const query of ['?merchant=x', '?status=paid', '?from=2026-02-30', '?to=yesterday', '?limit=0']) {
        const reply = await api.call('GET', `/settlement/payout-batches${query}`, { token: tokens.finance });
        expect({ query, status: reply.status, code: reply.body.code }).toEqual({
          query,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expect((await api.call('GET', '/settlement/payout-batches', { token: tokens.admin })).status).toBe(403);
    });
  });

  describe('POST /settlement/runs', () => {
    const workers: StartedProcess[] = [];
    let settlementQueue: Queue;

    beforeAll(() => {
      settlementQueue = new Queue(QueueName.Settlement, {
        connection: { url: api.env.config.REDIS_URL },
        prefix: queuePrefix(api.env.config.REDIS_KEY_PREFIX),
      });
    });

    afterAll(async () => {
      await Promise.all(
        workers
          .filter((worker) => worker.child.exitCode === null)
          .map((worker) => {
            worker.child.kill('SIGTERM');
            return worker.exited;
          }),
      );
      await settlementQueue?.close();
    });

    const ask = (body: object, token = tokens.finance) => api.call('POST', '/settlement/runs', { token, body });
    const finished = async (id: string): Promise<Run> => {
      let run: Run | undefined;
      await waitUntil(
        `run ${id} finishing`,
        async () => {
          run = (await api.call('GET', `/settlement/runs/${id}`, { token: tokens.auditor })).body as unknown as Run;
          return run.status === 'succeeded' || run.status === 'failed';
        },
        30000,
        100,
      );
      return run!;
    };
    const lines = async () =>
      (await api.db.query(`SELECT count(*)::int AS n FROM settlement_lines WHERE redemption_day = $1`, [PAST_DAY]))[0]
        .n as number;

    it('queues the settlement of a past day for the worker, answers the same run while it waits, and audits who asked', async () => {
      await createSettlementFixture(api.db, {
        merchants: [merchantA.id, merchantB.id],
        redemptionsPerMerchant: 6,
        businessDay: PAST_DAY,
        outbox: false,
      });
      const first = await ask({ kind: 'settle_day', businessDay: PAST_DAY });
      expect(first.status).toBe(202);
      expect(first.body).toMatchObject({ kind: 'settle_day', businessDay: PAST_DAY, status: 'queued', settled: null });
      const again = await ask({ kind: 'settle_day', businessDay: PAST_DAY }, tokens.admin);
      expect([again.status, again.body.id]).toEqual([202, first.body.id]);

      const job = await settlementQueue.getJob(runJobId(first.body.id as string));
      expect(job).toMatchObject({
        name: SettlementJob.SettleDay,
        data: { businessDay: PAST_DAY, runId: first.body.id },
      });
      expect(await settlementQueue.getJobCounts('waiting')).toEqual({ waiting: 1 });

      const audit = await api.call('GET', `/audit-log?entityType=settlement_run&entityId=${first.body.id}`, {
        token: tokens.auditor,
      });
      expect(audit.body.items).toEqual([
        expect.objectContaining({
          action: 'settlement.run.request',
          actorUsername: 'finance',
          actorRole: 'finance',
          after: expect.objectContaining({ status: 'queued' }),
        }),
      ]);
    });

    it('queues again a run whose job was lost, and replaces a run whose job failed without it hearing', async () => {
      const connection = { url: api.env.config.REDIS_URL };
      const prefix = queuePrefix(api.env.config.REDIS_KEY_PREFIX);
      // The add failed after the run was recorded (Redis went away): asking again queues the same run.
      const lost = await ask({ kind: 'settle_day', businessDay: '2026-06-02' });
      await (await settlementQueue.getJob(runJobId(lost.body.id as string)))!.remove();
      const retried = await ask({ kind: 'settle_day', businessDay: '2026-06-02' });
      expect(retried.body.id).toBe(lost.body.id);
      expect(await settlementQueue.getJob(runJobId(lost.body.id as string))).toMatchObject({
        data: { runId: lost.body.id },
      });

      // A job that failed for good without reaching its run (as one that stalled past BullMQ's limit).
      const stuck = await ask({ kind: 'reconciliation' });
      const taker = new Worker(QueueName.System, null, { connection, prefix });
      try {
        const job = (await taker.getNextJob('test-token'))!;
        expect(job.id).toBe(runJobId(stuck.body.id as string));
        await job.moveToFailed(new UnrecoverableError('job stalled more than allowable limit'), 'test-token');
      } finally {
        await taker.close();
      }
      const fresh = await ask({ kind: 'reconciliation' });
      expect([fresh.status, fresh.body.status]).toEqual([202, 'queued']);
      expect(fresh.body.id).not.toBe(stuck.body.id);
      expect(
        (await api.call('GET', `/settlement/runs/${stuck.body.id}`, { token: tokens.finance })).body,
      ).toMatchObject({ status: 'failed', error: 'job stalled more than allowable limit' });
      const ends = await api.call('GET', `/audit-log?entityType=settlement_run&entityId=${stuck.body.id}`, {
        token: tokens.auditor,
      });
      expect((ends.body.items as { action: string }[]).map((entry) => entry.action)).toEqual([
        'settlement.run.fail',
        'settlement.run.request',
      ]);
    });

    it('is executed by the worker; a second run of the same day adds nothing, and the end of each run is audited', async () => {
      workers.push(
        await startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
          DATABASE_URL: api.env.config.DATABASE_URL,
          REDIS_KEY_PREFIX: api.env.config.REDIS_KEY_PREFIX,
        }),
      );
      const [{ id }] = await api.db.query(`SELECT id FROM settlement_runs WHERE business_day = $1`, [PAST_DAY]);
      const [{ id: lostId }] = await api.db.query(`SELECT id FROM settlement_runs WHERE business_day = '2026-06-02'`);
      expect(await finished(lostId)).toMatchObject({
        status: 'succeeded',
        settled: { merchants: 0, redemptionLines: 0 },
      });
      expect(await finished(id)).toMatchObject({
        status: 'succeeded',
        settled: { businessDay: PAST_DAY, merchants: 2, redemptionLines: 12, adjustmentLines: 0 },
      });
      expect(await lines()).toBe(12);

      const second = await ask({ kind: 'settle_day', businessDay: PAST_DAY });
      expect(second.status).toBe(202);
      expect(second.body.id).not.toBe(id);
      expect(await finished(second.body.id as string)).toMatchObject({
        status: 'succeeded',
        settled: { merchants: 2, redemptionLines: 0, adjustmentLines: 0 },
      });
      expect(await lines()).toBe(12);

      for (const run of [id, second.body.id]) {
        const ends = await api.call('GET', `/audit-log?action=settlement.run.succeed&entityId=${run}`, {
          token: tokens.auditor,
        });
        expect(ends.body.items).toEqual([
          expect.objectContaining({
            actorRole: 'system',
            actorUsername: null,
            after: expect.objectContaining({ status: 'succeeded' }),
          }),
        ]);
      }
    });

    it('runs the reconciliation on demand and points at its report', async () => {
      const asked = await ask({ kind: 'reconciliation' }, tokens.admin);
      expect([asked.status, asked.body.businessDay]).toEqual([202, null]);
      const run = await finished(asked.body.id as string);
      expect(run.status).toBe('succeeded');
      const latest = await api.call('GET', '/admin/reconciliation', { token: tokens.finance });
      expect(run.reconciliation).toEqual({
        reportId: latest.body.id,
        ok: latest.body.ok,
        differences: (latest.body.differences as unknown[]).length,
      });
      const system = new Queue(QueueName.System, {
        connection: { url: api.env.config.REDIS_URL },
        prefix: queuePrefix(api.env.config.REDIS_KEY_PREFIX),
      });
      try {
        expect(await system.getJob(runJobId(run.id))).toMatchObject({
          name: SystemJob.Reconciliation,
          data: { runId: run.id },
        });
      } finally {
        await system.close();
      }
    });

    it('refuses today, a later day, a malformed request and other roles, and records nothing for them', async () => {
      const today = businessDay(new Date());
      const tomorrow = businessDay(new Date(Date.now() + 24 * 3600 * 1000));
      const before = (await api.db.query(`SELECT count(*)::int AS n FROM settlement_runs`))[0].n;
      for (const day of [today, tomorrow]) {
        const reply = await ask({ kind: 'settle_day', businessDay: day });
        expect([reply.status, reply.body.code, reply.body.today]).toEqual([409, 'BUSINESS_DAY_NOT_OVER', today]);
      }
      for (const body of [
        { kind: 'settle_day' },
        { kind: 'settle_day', businessDay: '2026-02-30' },
        { kind: 'reconciliation', businessDay: PAST_DAY },
        { kind: 'expiry' },
        {},
      ]) {
        const reply = await ask(body);
        expect({ body, status: reply.status, code: reply.body.code }).toEqual({
          body,
          status: 400,
          code: 'VALIDATION_FAILED',
        });
      }
      expect((await ask({ kind: 'reconciliation' }, tokens.auditor)).status).toBe(403);
      expect((await api.db.query(`SELECT count(*)::int AS n FROM settlement_runs`))[0].n).toBe(before);
      const unknown = await api.call('GET', '/settlement/runs/00000000-0000-4000-8000-000000000000', {
        token: tokens.finance,
      });
      expect([unknown.status, unknown.body.code]).toEqual([404, 'SETTLEMENT_RUN_NOT_FOUND']);
    });
  });
});
