import { randomUUID } from 'node:crypto';
import { AuditLog, FieldCipher } from '@quan/data';
import { waitUntil } from '@quan/platform';
import { PAYOUT_BATCH_LOCK, Reconciliation, SettlementRun } from '@quan/settlement';
import { createSettlementFixture } from '@quan/testing';
import { Api, startApi } from './support/api';
import { AppliedMerchant, approvedMerchant } from './support/merchants';
import { statementAt } from './support/settlement';

const DAY = '2026-11-10';

describe('settlement statements, maker-checker and payouts through the API', () => {
  let api: Api;
  let merchantA: AppliedMerchant;
  let merchantB: AppliedMerchant;
  let tokens: { finance: string; finance2: string; auditor: string; adminOfA: string; adminOfB: string };
  let statementId: string;
  let subsidyFen: number;

  beforeAll(async () => {
    api = await startApi();
    const admin = await api.login('admin');
    merchantA = await approvedMerchant(api, admin);
    merchantB = await approvedMerchant(api, admin);
    await api.call('POST', '/staff-accounts', {
      token: admin,
      body: { username: 'finance-2', displayName: '财务 复核', password: 'finance-password', role: 'finance' },
    });
    tokens = {
      finance: await api.login('finance'),
      finance2: await api.login('finance-2', 'finance-password'),
      auditor: await api.login('auditor'),
      adminOfA: await api.login(merchantA.adminUsername, merchantA.adminPassword),
      adminOfB: await api.login(merchantB.adminUsername, merchantB.adminPassword),
    };
    await createSettlementFixture(api.db, {
      merchants: [merchantA.id],
      redemptionsPerMerchant: 30,
      businessDay: DAY,
      reverseEvery: 10,
    });
    await new SettlementRun(api.db, api.env.config).settleDay(DAY);
    [{ id: statementId, total_fen: subsidyFen }] = await api.db.query(
      `SELECT s.id, s.total_fen::int FROM settlement_statements s WHERE s.merchant_id = $1 AND s.business_day = $2`,
      [merchantA.id, DAY],
    );
  });

  afterAll(() => api?.close());

  it('shows a merchant admin its own statements only, with one line per redemption', async () => {
    const own = await api.call('GET', `/settlement/statements?businessDay=${DAY}`, { token: tokens.adminOfA });
    expect(own.status).toBe(200);
    expect(own.body.items).toEqual([
      expect.objectContaining({
        id: statementId,
        status: 'open',
        redemptionCount: 27,
        adjustmentCount: 0,
        totalFen: subsidyFen,
        payout: null,
      }),
    ]);
    expect(
      (await api.call('GET', `/settlement/statements?merchantId=${merchantA.id}`, { token: tokens.adminOfB })).body
        .items,
    ).toEqual([]);
    expect((await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.adminOfB })).body.code).toBe(
      'STATEMENT_NOT_FOUND',
    );

    const detail = await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.auditor });
    const lines = detail.body.lines as { kind: string; amountFen: number }[];
    expect(lines).toHaveLength(27);
    expect(lines.reduce((sum, line) => sum + line.amountFen, 0)).toBe(subsidyFen);
    expect(
      (await api.call('GET', '/settlement/statements?businessDay=2026-02-30', { token: tokens.finance })).status,
    ).toBe(400);
  });

  it('needs a submitter and a different approver, then pays out once, as a CSV, and records each step', async () => {
    const approve = (token: string) => api.call('POST', `/settlement/statements/${statementId}/approve`, { token });
    expect((await approve(tokens.finance)).body.code).toBe('STATEMENT_INVALID_TRANSITION');
    const submitted = await api.call('POST', `/settlement/statements/${statementId}/submit`, { token: tokens.finance });
    expect(submitted.body).toMatchObject({ status: 'submitted', totalFen: subsidyFen });
    expect(
      (await api.call('POST', `/settlement/statements/${statementId}/submit`, { token: tokens.finance })).status,
    ).toBe(409);
    const refused = await approve(tokens.finance);
    expect([refused.status, refused.body.code]).toEqual([403, 'APPROVER_IS_MAKER']);
    expect((await approve(tokens.finance2)).body).toMatchObject({ status: 'approved' });

    const batch = await api.call('POST', '/settlement/payout-batches', {
      token: tokens.finance,
      body: { throughDay: DAY },
    });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({
      totalFen: subsidyFen,
      transfers: [
        {
          merchantId: merchantA.id,
          amountFen: subsidyFen,
          status: 'pending',
          statements: [{ statementId, businessDay: DAY, amountFen: subsidyFen }],
        },
      ],
    });
    const [{ id: transferId, reference }] = batch.body.transfers as { id: string; reference: string }[];
    expect(reference).toBe(`QUAN-${transferId.replace(/-/g, '')}`);
    const again = await api.call('POST', '/settlement/payout-batches', { token: tokens.finance, body: {} });
    expect([again.status, again.body.code]).toEqual([409, 'NOTHING_TO_PAY']);

    const csvFor = (token: string) =>
      api.app.inject({
        url: `/api/v1/settlement/payout-batches/${batch.body.id}/csv`,
        headers: { authorization: `Bearer ${token}` },
      });
    const csv = await csvFor(tokens.finance);
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, row, end] = csv.body.split('\r\n');
    expect(header).toBe(
      'merchant,licence_no,bank_name,bank_account_name,bank_account_no,amount_fen,reference,business_days',
    );
    const [merchant] = await api.db.query(
      `SELECT name, licence_no, bank_account_sealed, bank_account_masked FROM merchants WHERE id = $1`,
      [merchantA.id],
    );
    const accountNo = FieldCipher.fromConfig(api.env.config).open(
      'merchants.bank_account',
      merchant.bank_account_sealed,
    );
    expect(row).toContain(`"${merchant.name}","${merchant.licence_no}"`);
    expect(row).toContain(`"${accountNo}","${subsidyFen}","${reference}","${DAY}"`);
    expect(end).toBe('');
    // Only finance, who sends the file to the bank, sees the account number whole.
    const auditorCsv = (await csvFor(tokens.auditor)).body;
    expect(auditorCsv).toContain(`"${merchant.bank_account_masked}","${subsidyFen}"`);
    expect(auditorCsv).not.toContain(accountNo);

    const outcome = `/settlement/payout-batches/${batch.body.id}/transfers/${transferId}/outcome`;
    expect((await api.call('POST', outcome, { token: tokens.finance, body: { status: 'paid' } })).body).toMatchObject({
      transfers: [{ status: 'paid' }],
    });
    expect((await api.call('POST', outcome, { token: tokens.finance, body: { status: 'failed' } })).body.code).toBe(
      'PAYOUT_ALREADY_MARKED',
    );
    const seen = await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.adminOfA });
    expect(seen.body).toMatchObject({
      status: 'approved',
      payout: { batchId: batch.body.id, transferId, status: 'paid', reference },
    });

    const audited = [{ entityId: statementId }, { entityId: batch.body.id as string }, { entityId: transferId }];
    const actions = (await api.db.getRepository(AuditLog).find({ where: audited })).map((e) => e.action).sort();
    expect(actions).toEqual([
      'settlement.payout_batch.create',
      'settlement.payout_transfer.mark',
      'settlement.statement.approve',
      'settlement.statement.submit',
    ]);
  });

  it('refuses to submit a statement of a day whose run has not finished', async () => {
    const [{ id }] = await api.db.query(
      `INSERT INTO settlement_statements (merchant_id, business_day) VALUES ($1, '2026-11-11') RETURNING id`,
      [merchantA.id],
    );
    const reply = await api.call('POST', `/settlement/statements/${id}/submit`, { token: tokens.finance });
    expect([reply.status, reply.body.code]).toEqual([409, 'STATEMENT_INVALID_TRANSITION']);
  });

  it('shows the latest reconciliation report', async () => {
    const none = await api.call('GET', '/admin/reconciliation', { token: tokens.auditor });
    expect([none.status, none.body.code]).toEqual([404, 'RECONCILIATION_NOT_RUN']);
    await api.app.get(Reconciliation, { strict: false }).run();
    const report = await api.call('GET', '/admin/reconciliation', { token: tokens.auditor });
    expect(report.body).toMatchObject({ ok: true, differences: [] });
    expect(Number((report.body.figures as Record<string, string>).settledFen)).toBe(subsidyFen);
  });

  // Last: its statements carry made-up lines that the reconciliation above would rightly report.
  it('pays each merchant one transfer with its zero and negative statements netted in, and pays a failed transfer in the next batch', async () => {
    type Transfer = {
      id: string;
      merchantId: string;
      amountFen: number;
      reference: string;
      statements: { statementId: string }[];
    };
    const newBatch = (token = tokens.finance) => api.call('POST', '/settlement/payout-batches', { token, body: {} });
    const batchAs = (token: string, id: string) => api.call('GET', `/settlement/payout-batches/${id}`, { token });
    const transferOf = (batch: { transfers: Transfer[] }, merchantId: string) =>
      batch.transfers.find((t) => t.merchantId === merchantId);
    const markAs = (batchId: string, transferId: string, status: string) =>
      api.call('POST', `/settlement/payout-batches/${batchId}/transfers/${transferId}/outcome`, {
        token: tokens.finance,
        body: { status },
      });

    // A reversed more than it redeemed one day (−20.00 yuan), then redeemed 15.00: nothing owed yet. B is owed 15.00.
    const reversedDay = await statementAt(api.db, merchantA.id, 'approved', -2000);
    const smallDay = await statementAt(api.db, merchantA.id, 'approved', 1500);
    const ofB = await statementAt(api.db, merchantB.id, 'approved', 1500);
    const first = await newBatch();
    expect(first.status).toBe(201);
    expect(transferOf(first.body as { transfers: Transfer[] }, merchantA.id)).toBeUndefined();
    expect(transferOf(first.body as { transfers: Transfer[] }, merchantB.id)).toMatchObject({
      amountFen: 1500,
      statements: [{ statementId: ofB }],
    });
    expect(
      (await api.call('GET', `/settlement/statements/${smallDay}`, { token: tokens.adminOfA })).body.payout,
    ).toBeNull();

    // A later day of 30.00 makes A owed 25.00. Two finance users make the next batch at the same instant (both
    // held at the batch lock until both wait there): one gets the transfer, the other finds nothing to pay.
    const bigDay = await statementAt(api.db, merchantA.id, 'approved', 3000);
    const holder = api.db.createQueryRunner();
    await holder.startTransaction();
    await holder.query(`SELECT pg_advisory_xact_lock(${PAYOUT_BATCH_LOCK})`);
    const inFlight = Promise.all([newBatch(tokens.finance), newBatch(tokens.finance2)]);
    const waiting = async () =>
      (await api.db.query(`SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND NOT granted`))[0].n;
    await waitUntil('both batch requests waiting at the lock', async () => (await waiting()) === 2, 10000, 10);
    await holder.commitTransaction();
    await holder.release();
    const racing = await inFlight;
    expect(racing.map((reply) => reply.status).sort()).toEqual([201, 409]);
    expect(racing.find((reply) => reply.status === 409)!.body.code).toBe('NOTHING_TO_PAY');
    const second = racing.find((reply) => reply.status === 201)!.body as { id: string; transfers: Transfer[] };
    expect(second.transfers).toEqual([
      expect.objectContaining({
        merchantId: merchantA.id,
        amountFen: 2500,
        statements: [reversedDay, smallDay, bigDay].map((statementId) => expect.objectContaining({ statementId })),
      }),
    ]);
    const [toA] = second.transfers;
    const csv = await api.app.inject({
      url: `/api/v1/settlement/payout-batches/${second.id}/csv`,
      headers: { authorization: `Bearer ${tokens.finance}` },
    });
    expect(csv.body.split('\r\n')[1]).toMatch(
      new RegExp(`"2500","${toA.reference}","\\d{4}-\\d{2}-\\d{2} \\d{4}-\\d{2}-\\d{2} \\d{4}-\\d{2}-\\d{2}"$`),
    );

    // Each merchant admin reads its own transfer, and a batch with none of its transfers is 404.
    expect((await batchAs(tokens.adminOfA, second.id)).body).toMatchObject({
      totalFen: 2500,
      transfers: [{ id: toA.id }],
    });
    expect((await batchAs(tokens.adminOfB, second.id)).body.code).toBe('PAYOUT_BATCH_NOT_FOUND');
    expect((await batchAs(tokens.adminOfB, first.body.id as string)).body.transfers).toEqual([
      expect.objectContaining({ merchantId: merchantB.id }),
    ]);
    expect((await batchAs(tokens.adminOfA, first.body.id as string)).status).toBe(404);

    // The bank rejects the transfer to A: the same statements are paid in the next batch, under a new reference.
    expect((await markAs(second.id, toA.id, 'failed')).status).toBe(200);
    const third = (await newBatch()).body as { id: string; transfers: Transfer[] };
    const again = transferOf(third, merchantA.id)!;
    expect(again).toMatchObject({ amountFen: 2500, statements: toA.statements });
    expect(again.reference).not.toBe(toA.reference);
    expect((await api.call('GET', `/settlement/statements/${bigDay}`, { token: tokens.adminOfA })).body.payout).toEqual(
      {
        batchId: third.id,
        transferId: again.id,
        status: 'pending',
        reference: again.reference,
      },
    );

    // Postgres holds a statement in one pending or paid transfer, whoever writes.
    const [{ id: stray }] = await api.db.query(
      `INSERT INTO payout_transfers (batch_id, merchant_id, amount_fen, reference) VALUES ($1, $2, 1500, 'stray') RETURNING id`,
      [third.id, merchantA.id],
    );
    await expect(
      api.db.query(`INSERT INTO payout_items (statement_id, transfer_id, amount_fen) VALUES ($1, $2, 1500)`, [
        smallDay,
        stray,
      ]),
    ).rejects.toMatchObject({ constraint: 'uq_payout_items_live' });
    await api.db.query(`DELETE FROM payout_transfers WHERE id = $1`, [stray]);

    expect((await markAs(third.id, again.id, 'paid')).status).toBe(200);
    expect((await markAs(third.id, again.id, 'failed')).body.code).toBe('PAYOUT_ALREADY_MARKED');
    expect((await markAs(third.id, randomUUID(), 'paid')).body.code).toBe('PAYOUT_TRANSFER_NOT_FOUND');
    await markAs(
      first.body.id as string,
      transferOf(first.body as { transfers: Transfer[] }, merchantB.id)!.id,
      'paid',
    );
    expect((await newBatch()).body.code).toBe('NOTHING_TO_PAY');
    const [{ paid }] = await api.db.query(
      `SELECT sum(t.amount_fen)::int AS paid FROM payout_transfers t WHERE t.merchant_id = $1 AND t.status = 'paid' AND t.batch_id = ANY($2::uuid[])`,
      [merchantA.id, [first.body.id, second.id, third.id]],
    );
    expect(paid).toBe(-2000 + 1500 + 3000);

    // The reconciliation holds each transfer to the statements it pays.
    const transferDifferences = async () =>
      (await api.app.get(Reconciliation, { strict: false }).run()).differences.filter(
        (d) => d.check === 'payout_transfers',
      );
    expect(await transferDifferences()).toEqual([]);
    await api.db.query(`UPDATE payout_transfers SET amount_fen = amount_fen + 1 WHERE id = $1`, [again.id]);
    expect(await transferDifferences()).toEqual([
      expect.objectContaining({ subject: `transfer ${again.id}`, expected: expect.stringContaining('2501 fen') }),
    ]);
  });
});
