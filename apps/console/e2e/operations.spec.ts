import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { createDataSource } from '@quan/data';
import { DEMO_PASSWORD } from '@quan/demo';
import { businessDay } from '@quan/domain';
import { call, consoleSuite, screenshot, seriousViolations, signIn } from './support';

interface Session {
  accessToken: string;
  account: { id: string };
}
interface Merchant {
  id: string;
  name: string;
  countyCode: string;
  status: string;
  statusReason: string | null;
}
interface Statement {
  id: string;
  merchantName: string;
  status: string;
  submittedById: string | null;
  approvedById: string | null;
}

/**
 * The console's merchants, settlement, audit and staff sections on a desktop Chromium, against the real api
 * serving the built console, on the demo city with its settled history (open statements of its last day).
 */
describe('the bureau console: merchants, settlement, audit and staff', () => {
  const suite = consoleSuite(__filename, { history: true });
  let db: DataSource;
  beforeAll(async () => {
    db = createDataSource(suite.env.config);
    await db.initialize();
  });
  afterAll(() => db?.destroy());

  const login = (username: string, password = DEMO_PASSWORD) =>
    call<Session>(suite, 'POST', '/auth/staff/login', { body: { username, password } });
  const get = <T>(path: string, token: string) => call<T>(suite, 'GET', path, { token });

  /** A fresh desktop page (beside the test's own) signed in through the login screen. */
  async function pageOf(username: string): Promise<Page> {
    const { page } = await suite.newPage();
    await signIn(page, username);
    return page;
  }

  /** Each screen: axe-core finds no serious or critical violation, and it is photographed for the docs. */
  async function screen(page: Page, name: string): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, name);
  }

  const dialog = (page: Page) => page.getByRole('dialog');
  async function confirmIn(page: Page, button: string | RegExp, reason?: string): Promise<void> {
    await page.getByRole('button', { name: button }).first().click();
    if (reason !== undefined) await dialog(page).getByRole('textbox').fill(reason);
    await dialog(page)
      .getByRole('button', { name: /确\s*认/ })
      .click();
    await dialog(page).waitFor({ state: 'hidden' });
  }

  suite.test(
    "a county admin sees only their county: the list, no other county to pick, another county's merchant not found; reviews and suspends",
    async ({ page }) => {
      const session = await login('hanbin-admin');
      await signIn(page, 'hanbin-admin');
      const own = await get<{ items: Merchant[]; total: number }>('/merchants?limit=200', session.accessToken);
      expect(own.total).toBeGreaterThan(0);
      expect(new Set(own.items.map((m) => m.countyCode))).toEqual(new Set(['hanbin']));

      await page.goto('/console/merchants?status=all');
      await page.getByText('仅显示 汉滨区 的商户').waitFor();
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await page.getByRole('combobox', { name: '区县' }).count()).toBe(0);
      const counties = await rows.locator('td:nth-child(3)').allTextContents();
      expect(counties.length).toBe(Math.min(own.total, 20));
      expect(new Set(counties)).toEqual(new Set(['汉滨区']));
      const names = await rows.locator('td:nth-child(1)').allTextContents();
      expect(names.sort()).toEqual(
        own.items
          .slice(0, 20)
          .map((m) => m.name)
          .sort(),
      );

      // Another county's merchant, by its URL: not found, as for an id that does not exist; its name never shows.
      const admin = await login('admin');
      const other = (await get<{ items: Merchant[] }>('/merchants?countyCode=xunyang&limit=1', admin.accessToken))
        .items[0];
      await page.goto(`/console/merchants/${other.id}`);
      await page.getByRole('alert').waitFor();
      expect(await page.getByText(other.name).count()).toBe(0);

      // The review queue: the county's pending application with its licence check, approved in two steps.
      const pending = own.items.find((m) => m.status === 'pending')!;
      await page.goto('/console/merchants');
      const row = page.locator('tr', { hasText: pending.name });
      await row.getByText('校验位正确').waitFor();
      await screen(page, 'merchants-queue');
      await row.getByRole('button', { name: /通\s*过/ }).click();
      await dialog(page).getByText(`通过「${pending.name}」的入驻申请`).waitFor();
      await screen(page, 'merchants-approve');
      await dialog(page)
        .getByRole('button', { name: /确\s*认/ })
        .click();
      await dialog(page).waitFor({ state: 'hidden' });
      await page.locator('tr', { hasText: pending.name }).waitFor({ state: 'detached' });
      expect((await get<Merchant>(`/merchants/${pending.id}`, session.accessToken)).status).toBe('approved');

      // Suspend with a reason, then reinstate, from the merchant's page.
      await page.goto(`/console/merchants/${pending.id}`);
      await page.getByRole('heading', { name: pending.name }).waitFor();
      await screen(page, 'merchants-detail');
      // The api gives a county admin neither the redemption trail nor statements: no tab offers them.
      expect(await page.getByRole('tab').count()).toBe(0);
      await confirmIn(page, /暂停核销/, '营业执照与经营地址不符');
      await page.getByText('原因：营业执照与经营地址不符').waitFor();
      const suspended = await get<Merchant>(`/merchants/${pending.id}`, session.accessToken);
      expect([suspended.status, suspended.statusReason]).toEqual(['suspended', '营业执照与经营地址不符']);
      await confirmIn(page, /恢复核销/);
      await page.getByRole('button', { name: /暂停核销/ }).waitFor();
      expect((await get<Merchant>(`/merchants/${pending.id}`, session.accessToken)).status).toBe('approved');
    },
    120000,
  );

  suite.test(
    'settlement: one finance user submits a statement, another approves it; the payout file downloads as the api sends it',
    async ({ page }) => {
      const admin = await login('admin');
      const body = {
        username: 'finance-checker',
        displayName: '市商务局 财务复核',
        password: DEMO_PASSWORD,
        role: 'finance',
      };
      await call(suite, 'POST', '/staff-accounts', { token: admin.accessToken, body });
      const maker = { page, session: await login('finance') };
      await signIn(page, 'finance');
      // The newest settled day's statements, all open.
      const day = (
        await get<{ items: (Statement & { businessDay: string })[] }>(
          '/settlement/statements?limit=1',
          maker.session.accessToken,
        )
      ).items[0].businessDay;
      const ofDay = (
        await get<{ items: Statement[] }>(
          `/settlement/statements?businessDay=${day}&limit=200`,
          maker.session.accessToken,
        )
      ).items;
      const statement = ofDay[0];
      expect(statement.status).toBe('open');

      await maker.page.goto(`/console/settlement/statements?businessDay=${day}`);
      const makerRow = maker.page.locator('tr', { hasText: statement.merchantName });
      await makerRow.getByRole('button', { name: '提交复核' }).waitFor();
      expect(await maker.page.locator('.ant-table-tbody tr.ant-table-row').count()).toBe(Math.min(ofDay.length, 20));
      await screen(maker.page, 'settlement-statements');
      await makerRow.getByRole('button', { name: '提交复核' }).click();
      await dialog(maker.page)
        .getByRole('button', { name: /确\s*认/ })
        .click();
      // The maker cannot check their own submission: the screen says so instead of offering it.
      await makerRow.getByText('由您提交，需另一位财务复核').waitFor();
      expect(await makerRow.getByRole('button', { name: '复核通过' }).count()).toBe(0);
      const submitted = await get<Statement>(`/settlement/statements/${statement.id}`, maker.session.accessToken);
      expect([submitted.status, submitted.submittedById]).toEqual(['submitted', maker.session.account.id]);

      const checker = { page: await pageOf('finance-checker'), session: await login('finance-checker') };
      await checker.page.goto(`/console/settlement/statements/${statement.id}`);
      await checker.page.getByRole('heading', { name: `${statement.merchantName} · ${day}` }).waitFor();
      await screen(checker.page, 'settlement-statement');
      await confirmIn(checker.page, '复核通过');
      await checker.page.getByText('已复核').first().waitFor();
      const approved = await get<Statement>(`/settlement/statements/${statement.id}`, maker.session.accessToken);
      expect([approved.status, approved.submittedById, approved.approvedById]).toEqual([
        'approved',
        maker.session.account.id,
        checker.session.account.id,
      ]);

      // A payout batch of the approved statement; its file for the bank, downloaded, is the api's byte for byte.
      await maker.page.goto('/console/settlement/payouts');
      await confirmIn(maker.page, '生成打款批次');
      await maker.page.locator('.ant-table-tbody tr.ant-table-row a').first().click();
      await maker.page.getByRole('cell', { name: statement.merchantName }).waitFor();
      await screen(maker.page, 'settlement-payout-batch');
      const batchId = maker.page.url().split('/').pop()!;
      const [download] = await Promise.all([
        maker.page.waitForEvent('download'),
        maker.page.getByRole('button', { name: /下载打款文件/ }).click(),
      ]);
      const file = await download.createReadStream().then(async (stream) => {
        const chunks: Buffer[] = [];
        for await (const chunk of stream) chunks.push(chunk as Buffer);
        return Buffer.concat(chunks);
      });
      const fromApi = Buffer.from(
        await (
          await fetch(`${suite.baseUrl}/api/v1/settlement/payout-batches/${batchId}/csv`, {
            headers: { authorization: `Bearer ${maker.session.accessToken}` },
          })
        ).arrayBuffer(),
      );
      expect(file.length).toBeGreaterThan(0);
      expect(file.equals(fromApi)).toBe(true);
      expect(file.toString('utf8')).toContain(statement.merchantName);

      // The bank paid it: the outcome is recorded in two steps.
      const transferRow = maker.page.locator('tr', { hasText: statement.merchantName });
      await transferRow.getByRole('button', { name: /^已到账$/ }).click();
      await dialog(maker.page)
        .getByRole('button', { name: /确\s*认/ })
        .click();
      await transferRow.getByRole('button', { name: /^已到账$/ }).waitFor({ state: 'detached' });
      await transferRow.getByText('已到账').waitFor();
      const batch = await get<{ transfers: { merchantName: string; status: string }[] }>(
        `/settlement/payout-batches/${batchId}`,
        maker.session.accessToken,
      );
      expect(batch.transfers.find((t) => t.merchantName === statement.merchantName)?.status).toBe('paid');
      await maker.page.goto('/console/settlement/payouts');
      await maker.page.locator('.ant-table-tbody tr.ant-table-row').first().waitFor();
      await screen(maker.page, 'settlement-payouts');
    },
    120000,
  );

  suite.test(
    'reconciliation: each difference of the latest report says what it means; a city admin reads it and asks for a run',
    async ({ page }) => {
      const [statement] = await db.query<{ id: string }[]>(`SELECT id FROM settlement_statements ORDER BY id LIMIT 1`);
      await db.query(`INSERT INTO reconciliation_reports (ok, figures, differences) VALUES (false, $1, $2)`, [
        JSON.stringify({
          redeemedFen: '1200000',
          settledFen: '800000',
          unsettledFen: '400000',
          adjustmentsDueFen: '0',
        }),
        JSON.stringify([
          { check: 'statement_totals', subject: `statement ${statement.id}`, expected: '8000', actual: '8001' },
        ]),
      ]);
      await signIn(page, 'admin', '/console/settlement');
      await page.getByText('发现 1 处差异').waitFor();
      await page.getByText('结算单合计与其明细之和不一致。请勿复核或打款这张结算单，先核查。').waitFor();
      // A city admin reads no statements or payouts: only the reconciliation is offered.
      expect(await page.getByRole('tab').allTextContents()).toEqual(['对账']);
      await confirmIn(page, '立即对账');
      await page
        .getByRole('status')
        .filter({ hasText: /已排队|进行中|已完成/ })
        .waitFor();
      const [run] = await db.query<{ kind: string }[]>(
        `SELECT kind FROM settlement_runs ORDER BY requested_at DESC LIMIT 1`,
      );
      expect(run.kind).toBe('reconciliation');
      await screen(page, 'settlement-reconciliation');
      // English second: the same explanation.
      await page.getByRole('button', { name: 'English' }).click();
      await page
        .getByText("A statement's total differs from the sum of its lines. Do not approve or pay it until checked.")
        .waitFor();
    },
    90000,
  );

  suite.test(
    'audit: an auditor filters the log by action and date, opens an entry, and reads the chain head',
    async ({ page }) => {
      const session = await login('auditor');
      await signIn(page, 'auditor', '/console/audit');
      const chain = await get<{ head: { id: string; hash: string } }>('/audit-log/head', session.accessToken);
      await page.getByText(`${chain.head.id}=${chain.head.hash}`).waitFor();

      await page.getByRole('textbox', { name: '操作' }).fill('Bad action!');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.getByText('操作名只含小写字母、下划线和“.”').waitFor();
      expect(await page.getByRole('textbox', { name: '操作' }).getAttribute('aria-invalid')).toBe('true');
      await page.getByRole('textbox', { name: '操作' }).fill('staff_account.');
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.waitForURL(/action=staff_account\./);
      const rows = page.locator('.ant-table-tbody tr.ant-table-row');
      // The unfiltered page goes, the filtered one comes.
      await rows.filter({ hasNotText: 'staff_account.' }).first().waitFor({ state: 'detached' });
      await rows.first().waitFor();
      const expected = await get<{ items: { action: string }[]; total: number }>(
        '/audit-log?action=staff_account.',
        session.accessToken,
      );
      expect(expected.total).toBeGreaterThan(0);
      expect(await rows.locator('td:nth-child(4)').allTextContents()).toEqual(
        expected.items.slice(0, 20).map((e) => e.action),
      );
      await rows.first().locator('button').first().click();
      await page.getByText('变更后').first().waitFor();
      await screen(page, 'audit-log');

      // From tomorrow (Asia/Shanghai) on, nothing has happened yet.
      await page.getByLabel('起始日期').fill(businessDay(new Date(Date.now() + 86_400_000)));
      await page.getByRole('button', { name: /查\s*询/ }).click();
      await page.waitForURL(/from=/);
      await rows.first().waitFor({ state: 'detached' });
    },
    90000,
  );

  suite.test(
    "an auditor reads a merchant's redemptions of a day and its statements",
    async ({ page }) => {
      const session = await login('auditor');
      const [statement] = (
        await get<{ items: (Statement & { merchantId: string; businessDay: string })[] }>(
          '/settlement/statements?limit=1',
          session.accessToken,
        )
      ).items;
      const trail = await get<{ items: { subsidyFen: number }[]; total: number }>(
        `/audit-log/redemptions?merchantId=${statement.merchantId}&businessDay=${statement.businessDay}`,
        session.accessToken,
      );
      expect(trail.total).toBeGreaterThan(0);
      await signIn(page, 'auditor', `/console/merchants/${statement.merchantId}`);
      await page.getByRole('heading', { name: statement.merchantName }).waitFor();
      // Read-only: no review action is drawn for an auditor.
      expect(await page.getByRole('button', { name: /暂停核销|恢复核销|通\s*过|驳\s*回/ }).count()).toBe(0);
      await page.getByLabel('营业日').fill(statement.businessDay);
      const rows = page.getByRole('tabpanel').locator('.ant-table-tbody tr.ant-table-row');
      await rows.first().waitFor();
      expect(await rows.count()).toBe(trail.total);
      await screen(page, 'merchants-redemptions');
      await page.getByRole('tab', { name: '结算单' }).click();
      await page.getByRole('tabpanel').getByText(statement.businessDay).first().waitFor();
    },
    90000,
  );

  suite.test(
    'staff: a city admin creates an account (a taken login shown at its field), renames and disables it; an auditor only reads',
    async ({ page }) => {
      const session = await login('admin');
      await signIn(page, 'admin', '/console/staff');
      await page.getByRole('button', { name: '新建账号' }).click();
      const form = dialog(page);
      await form.getByLabel('登录账号').fill('finance');
      await form.getByLabel('姓名').fill('区县 数据员');
      await form.getByLabel('初始密码').fill('clerk-pass-2026');
      await form.getByLabel('角色').click();
      await page.getByTitle('区县管理员').click();
      await form.getByLabel('区县', { exact: true }).click();
      await page.getByTitle('旬阳市').click();
      await form.getByRole('button', { name: /确\s*认/ }).click();
      await form.getByText('这一项已经存在，无需重复添加。').waitFor();
      await screen(page, 'staff-create');
      await form.getByLabel('登录账号').fill('xunyang-clerk');
      await form.getByRole('button', { name: /确\s*认/ }).click();
      await page.getByText('已创建 区县 数据员。').waitFor();
      const created = (
        await get<{ items: { id: string; role: string; countyCode: string; disabled: boolean; username: string }[] }>(
          '/staff-accounts?role=county_admin&countyCode=xunyang',
          session.accessToken,
        )
      ).items.find((a) => a.username === 'xunyang-clerk')!;
      expect([created.role, created.countyCode, created.disabled]).toEqual(['county_admin', 'xunyang', false]);

      await page.goto('/console/staff?role=county_admin&countyCode=xunyang');
      const row = page.locator('tr', { hasText: 'xunyang-clerk' });
      await row.getByRole('button', { name: /停\s*用/ }).click();
      await dialog(page)
        .getByRole('button', { name: /确\s*认/ })
        .click();
      await row.getByText('已停用').waitFor();
      expect((await get<{ disabled: boolean }>(`/staff-accounts/${created.id}`, session.accessToken)).disabled).toBe(
        true,
      );
      await row.getByRole('button', { name: /改\s*名/ }).click();
      await dialog(page).getByLabel('姓名').fill('旬阳 数据员');
      await dialog(page)
        .getByRole('button', { name: /保\s*存/ })
        .click();
      await row.getByText('旬阳 数据员').waitFor();
      expect(
        (await get<{ displayName: string }>(`/staff-accounts/${created.id}`, session.accessToken)).displayName,
      ).toBe('旬阳 数据员');
      await screen(page, 'staff-list');

      const auditor = await pageOf('auditor');
      await auditor.goto('/console/staff?role=county_admin&countyCode=xunyang');
      await auditor.getByText('xunyang-clerk').waitFor();
      expect(await auditor.getByRole('button', { name: '新建账号' }).count()).toBe(0);
      expect(await auditor.getByRole('button', { name: /停\s*用|改\s*名|重置密码/ }).count()).toBe(0);
    },
    90000,
  );
});
