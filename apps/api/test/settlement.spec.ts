import { AuditLog } from '@quan/data';
import { Reconciliation, SettlementRun } from '@quan/settlement';
import { createSettlementFixture } from '@quan/testing';
import { Api, startApi } from './support/api';
import { AppliedMerchant, approvedMerchant } from './support/merchants';

const DAY = '2026-11-10';

describe('settlement statements, maker-checker and payouts through the API', () => {
  let api: Api;
  let merchantA: AppliedMerchant;
  let tokens: { finance: string; finance2: string; auditor: string; adminOfA: string; adminOfB: string };
  let statementId: string;
  let subsidyFen: number;

  beforeAll(async () => {
    api = await startApi();
    const admin = await api.login('admin');
    merchantA = await approvedMerchant(api, admin);
    const merchantB = await approvedMerchant(api, admin);
    await api.call('POST', '/staff-accounts', { token: admin, body: { username: 'finance-2', displayName: '财务 复核', password: 'finance-password', role: 'finance' } });
    tokens = {
      finance: await api.login('finance'),
      finance2: await api.login('finance-2', 'finance-password'),
      auditor: await api.login('auditor'),
      adminOfA: await api.login(merchantA.adminUsername, merchantA.adminPassword),
      adminOfB: await api.login(merchantB.adminUsername, merchantB.adminPassword),
    };
    await createSettlementFixture(api.db, { merchants: [merchantA.id], redemptionsPerMerchant: 30, businessDay: DAY, reverseEvery: 10 });
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
    expect(own.body.items).toEqual([expect.objectContaining({ id: statementId, status: 'open', redemptionCount: 27, adjustmentCount: 0, totalFen: subsidyFen, payout: null })]);
    expect((await api.call('GET', `/settlement/statements?merchantId=${merchantA.id}`, { token: tokens.adminOfB })).body.items).toEqual([]);
    expect((await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.adminOfB })).body.code).toBe('STATEMENT_NOT_FOUND');

    const detail = await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.auditor });
    const lines = detail.body.lines as { kind: string; amountFen: number }[];
    expect(lines).toHaveLength(27);
    expect(lines.reduce((sum, line) => sum + line.amountFen, 0)).toBe(subsidyFen);
    expect((await api.call('GET', '/settlement/statements?businessDay=2026-02-30', { token: tokens.finance })).status).toBe(400);
  });

  it('needs a submitter and a different approver, then pays out once, as a CSV, and records each step', async () => {
    const approve = (token: string) => api.call('POST', `/settlement/statements/${statementId}/approve`, { token });
    expect((await approve(tokens.finance)).body.code).toBe('STATEMENT_INVALID_TRANSITION');
    const submitted = await api.call('POST', `/settlement/statements/${statementId}/submit`, { token: tokens.finance });
    expect(submitted.body).toMatchObject({ status: 'submitted', totalFen: subsidyFen });
    expect((await api.call('POST', `/settlement/statements/${statementId}/submit`, { token: tokens.finance })).status).toBe(409);
    const refused = await approve(tokens.finance);
    expect([refused.status, refused.body.code]).toEqual([403, 'APPROVER_IS_MAKER']);
    expect((await approve(tokens.finance2)).body).toMatchObject({ status: 'approved' });

    const batch = await api.call('POST', '/settlement/payout-batches', { token: tokens.finance, body: { throughDay: DAY } });
    expect(batch.status).toBe(201);
    expect(batch.body).toMatchObject({ totalFen: subsidyFen, items: [{ statementId, amountFen: subsidyFen, status: 'pending' }] });
    const again = await api.call('POST', '/settlement/payout-batches', { token: tokens.finance, body: {} });
    expect([again.status, again.body.code]).toEqual([409, 'NOTHING_TO_PAY']);

    const csv = await api.app.inject({ url: `/api/v1/settlement/payout-batches/${batch.body.id}/csv`, headers: { authorization: `Bearer ${tokens.auditor}` } });
    expect(csv.headers['content-type']).toContain('text/csv');
    const [header, row, end] = csv.body.split('\r\n');
    expect(header).toBe('merchant,licence_no,bank_name,bank_account_name,bank_account_no,amount_fen,reference,business_day');
    const [merchant] = await api.db.query(`SELECT name, licence_no, bank_account_no FROM merchants WHERE id = $1`, [merchantA.id]);
    expect(row).toContain(`"${merchant.name}","${merchant.licence_no}"`);
    expect(row).toContain(`"${merchant.bank_account_no}","${subsidyFen}","QUAN-${statementId.replace(/-/g, '')}","${DAY}"`);
    expect(end).toBe('');

    const outcome = `/settlement/payout-batches/${batch.body.id}/items/${statementId}/outcome`;
    expect((await api.call('POST', outcome, { token: tokens.finance, body: { status: 'paid' } })).body).toMatchObject({ items: [{ status: 'paid' }] });
    expect((await api.call('POST', outcome, { token: tokens.finance, body: { status: 'failed' } })).body.code).toBe('PAYOUT_ALREADY_MARKED');
    const seen = await api.call('GET', `/settlement/statements/${statementId}`, { token: tokens.adminOfA });
    expect(seen.body).toMatchObject({ status: 'approved', payout: { status: 'paid' } });

    const actions = (await api.db.getRepository(AuditLog).find({ where: [{ entityId: statementId }, { entityId: batch.body.id as string }] })).map((e) => e.action).sort();
    expect(actions).toEqual(['settlement.payout_batch.create', 'settlement.payout_item.mark', 'settlement.statement.approve', 'settlement.statement.submit']);
  });

  it('refuses to submit a statement of a day whose run has not finished', async () => {
    const [{ id }] = await api.db.query(`INSERT INTO settlement_statements (merchant_id, business_day) VALUES ($1, '2026-11-11') RETURNING id`, [merchantA.id]);
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
});
