import { randomUUID } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page, type Request } from 'playwright-core';
import { DataSource } from 'typeorm';
import { VoucherTokens } from '@quan/auth';
import { configWith } from '@quan/config';
import { createDataSource } from '@quan/data';
import { formatShortCode, SHORT_CODE_ALPHABET } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import {
  axe,
  CHROMIUM_LAUNCH,
  createRedemptionFixture,
  FixtureMerchant,
  FixtureVoucher,
  PHONE,
  REPO_ROOT,
  RedemptionFixture,
  useBrowserSuite,
} from '@quan/testing';
import { writeQrVideo } from './y4m';

/**
 * Every run saves each screen under dist/e2e/screenshots/till (times and codes differ on every run);
 * `TILL_SCREENSHOTS=docs` writes them over the ones in docs/screenshots (till-*.png).
 */
const SCREENSHOTS =
  process.env.TILL_SCREENSHOTS === 'docs'
    ? join(REPO_ROOT, 'docs', 'screenshots')
    : join(REPO_ROOT, 'dist', 'e2e', 'screenshots', 'till');
const REDEEM = '/api/v1/merchant/redemptions';

/**
 * The cashier till in Chromium on a phone (390×844, touch), against the real api serving the built app.
 * One api for the file; each test its own vouchers (a fixture of 12 residents with two each) and a fresh page.
 */
describe('the cashier till in a phone browser', () => {
  let db: DataSource;
  let fixture: RedemptionFixture;
  let next = 0;
  const suite = useBrowserSuite(__filename, {
    prepare: async (config) => {
      db = createDataSource(config);
      await db.initialize();
      // Vouchers for 汉滨区 shops of catering only: another county's shop and a retail shop are refused.
      fixture = await createRedemptionFixture(db, config, {
        residents: 14,
        merchants: 1,
        bureauShareBp: 6000,
        campaign: { eligible_county_codes: '{hanbin}' },
      });
      await db.query(`UPDATE voucher_types SET category_codes = '{catering}' WHERE id = $1`, [fixture.thresholdTypeId]);
    },
  });
  afterAll(() => db?.destroy());

  /** A voucher of 满50减10 no test has used yet. */
  const voucher = (): FixtureVoucher => {
    const found = fixture.vouchers.filter((v) => v.voucherTypeId === fixture.thresholdTypeId)[next];
    next += 1;
    return found;
  };
  const merchant = (): FixtureMerchant => fixture.merchants[0];

  async function call<T>(
    method: 'GET' | 'POST',
    path: string,
    token: string,
    body?: unknown,
    key?: string,
  ): Promise<T> {
    const response = await fetch(`${suite.baseUrl}/api/v1${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(key ? { 'idempotency-key': key } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const answer = (await response.json()) as T;
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${JSON.stringify(answer)}`);
    return answer;
  }
  const qrToken = async (v: FixtureVoucher) =>
    (await call<{ token: string }>('POST', `/me/vouchers/${v.id}/qr`, v.residentToken)).token;
  const redemptionsOf = (v: FixtureVoucher) =>
    db.query<{ id: string; reversed_at: Date | null; idempotency_key: string }[]>(
      `SELECT id, reversed_at, idempotency_key FROM redemptions WHERE voucher_id = $1`,
      [v.id],
    );

  /** Signs the page in as a staff member of `of` (the fixture's tokens), without the login screen. */
  async function signIn(
    context: BrowserContext,
    of: FixtureMerchant,
    role: 'cashier' | 'merchant_admin' = 'cashier',
  ): Promise<void> {
    const accessToken = role === 'cashier' ? of.cashierTokens[0] : of.adminToken;
    const account = {
      id: randomUUID(),
      username: role,
      displayName: role === 'cashier' ? '收银员小李' : '店长老王',
      role,
      merchantId: of.id,
      countyCode: null,
      disabled: false,
      createdAt: new Date().toISOString(),
    };
    // Strings run in the page: this code is compiled without the DOM's types.
    const session = JSON.stringify({ accessToken, refreshToken: 'fixture' });
    await context.addInitScript({
      content: `if (!localStorage.getItem('quan.till.session')) {
        localStorage.setItem('quan.till.session', ${JSON.stringify(session)});
        localStorage.setItem('quan.till.account', ${JSON.stringify(JSON.stringify(account))});
      }`,
    });
  }

  /** Every screen is checked by axe-core (no serious or critical violation) and photographed for the docs. */
  async function screen(page: Page, name: string): Promise<void> {
    expect(await axe(page)).toEqual([]);
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `till-${name}.png`), animations: 'disabled', caret: 'hide' });
  }

  /** Opens the checkout with the camera off (the gun and the keyboard do the scanning) and types the amount on the keypad. */
  async function checkout(page: Page, yuan: string): Promise<void> {
    await page.addInitScript({ content: `localStorage.setItem('quan.till.camera', 'off')` });
    await page.goto('/till/');
    await page.getByRole('heading', { name: '收款核销' }).waitFor();
    await keypad(page, yuan);
  }
  async function keypad(page: Page, yuan: string): Promise<void> {
    const pad = page.getByRole('group', { name: '金额键盘' });
    for (const key of yuan) await pad.getByRole('button', { name: key, exact: true }).click();
    await page.getByText(`¥${yuan}`, { exact: true }).waitFor();
  }
  /** What a barcode gun does: the code's characters as keystrokes into the focused scan input, then Enter. */
  async function gun(page: Page, text: string): Promise<void> {
    await page.getByLabel('扫码枪 / 券码').focus();
    await page.keyboard.type(text, { delay: 0 });
    await page.keyboard.press('Enter');
  }
  /** A scan into the same input at once (the gun's keystrokes cost a round trip each here; the gun test has them). */
  async function scan(page: Page, text: string): Promise<void> {
    await page.getByLabel('扫码枪 / 券码').fill(text);
    await page.keyboard.press('Enter');
  }
  const confirmButton = (page: Page) => page.getByRole('button', { name: /确认核销/ });
  const receipt = (page: Page) => page.getByRole('heading', { name: /核销成功/ });
  const refusal = (page: Page) => page.getByRole('alert').filter({ hasText: '不能核销' });
  function confirms(page: Page): Request[] {
    const seen: Request[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && new URL(request.url()).pathname === REDEEM) seen.push(request);
    });
    return seen;
  }

  suite.test(
    'a cashier logs in (zh-CN or English) with the staff account an admin created, and the session renews itself',
    async ({ page }) => {
      const { id } = merchant();
      await call('POST', `/merchants/${id}/cashiers`, merchant().adminToken, {
        username: 'till-e2e',
        displayName: '收银员小王',
        password: 'till-pass-2026',
      });
      await page.goto('/till/');
      await page.getByRole('heading', { name: '收银员登录' }).waitFor();
      await screen(page, 'login');
      // English second: the same screen, remembered until switched back.
      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Cashier login' }).waitFor();
      await screen(page, 'login-en');
      await page.getByRole('button', { name: '中文' }).click();
      await page.getByRole('heading', { name: '收银员登录' }).waitFor();
      await page.getByLabel('账号').fill('till-e2e');
      await page.getByLabel('密码').fill('wrong-password');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByText(/用户名或密码不对/).waitFor();
      await page.getByLabel('密码').fill('till-pass-2026');
      await page.getByRole('button', { name: '登录' }).click();
      await page.getByRole('heading', { name: '收款核销' }).waitFor();
      await page.getByText('收银员小王').waitFor();

      // The session renews itself: an access token the api no longer takes is replaced through the refresh token.
      const stored = async () =>
        JSON.parse((await page.evaluate(`localStorage.getItem('quan.till.session')`)) as string) as {
          accessToken: string;
          refreshToken: string;
        };
      const before = await stored();
      await page.evaluate(
        `localStorage.setItem('quan.till.session', ${JSON.stringify(JSON.stringify({ ...before, accessToken: 'expired' }))})`,
      );
      await page.goto('/till/today');
      await page.getByRole('heading', { name: /今日流水/ }).waitFor();
      const after = await stored();
      expect(after.accessToken).not.toBe('expired');
      expect(after.refreshToken).not.toBe(before.refreshToken);
    },
  );

  it('reads the QR code with the camera, quotes, confirms and shows the receipt', async () => {
    const v = voucher();
    const video = join(tmpdir(), `till-camera-${randomUUID()}.y4m`);
    writeQrVideo(video, await qrToken(v));
    const browser = await chromium.launch({
      ...CHROMIUM_LAUNCH,
      args: [
        ...(CHROMIUM_LAUNCH.args ?? []),
        '--use-fake-device-for-media-stream',
        '--use-fake-ui-for-media-stream',
        `--use-file-for-fake-video-capture=${video}`,
      ],
    });
    try {
      const context = await browser.newContext({ ...PHONE, baseURL: suite.baseUrl, permissions: ['camera'] });
      await signIn(context, merchant());
      const page = await context.newPage();
      await page.goto('/till/');
      await keypad(page, '128');
      const cameraOn = Date.now();
      // The camera may read the code before the amount is in: then the cashier asks for the quote.
      const quoteButton = page.getByRole('button', { name: '计算优惠' });
      await Promise.race([confirmButton(page).waitFor(), quoteButton.waitFor()]).catch(async (error: unknown) => {
        await page.screenshot({ path: join(REPO_ROOT, 'dist', 'e2e', 'till-camera-failed.png'), fullPage: true });
        throw new Error(`${String(error)}\nalerts: ${(await page.getByRole('alert').allTextContents()).join(' | ')}`);
      });
      if (await quoteButton.isVisible()) await quoteButton.click();
      await confirmButton(page).waitFor();
      expect(await page.getByText('¥118.00').count()).toBeGreaterThan(0);
      await screen(page, 'quote');
      await confirmButton(page).click();
      await receipt(page).waitFor();
      process.stdout.write(`till: camera opened to receipt ${Date.now() - cameraOn} ms\n`);
      await screen(page, 'receipt');
      const [redeemed] = await redemptionsOf(v);
      expect(redeemed).toMatchObject({ reversed_at: null });
      await context.close();
    } finally {
      await browser.close();
      rmSync(video, { force: true });
    }
  }, 60000);

  it('says so when the camera is refused or absent, and offers the scan input for the typed code', async () => {
    const browser = await chromium.launch(CHROMIUM_LAUNCH);
    try {
      // No fake device and no camera permission: getUserMedia is refused.
      const context = await browser.newContext({ ...PHONE, baseURL: suite.baseUrl });
      await signIn(context, merchant());
      const page = await context.newPage();
      await page.goto('/till/');
      const said = page.getByRole('alert').filter({ hasText: /摄像头权限被拒绝|没有可用的摄像头|摄像头打开失败/ });
      await said.waitFor();
      expect(await said.textContent()).toContain('手动输入券码');
      expect(await page.getByLabel('扫码枪 / 券码').isEditable()).toBe(true);
      await screen(page, 'camera-refused');
      await context.close();
    } finally {
      await browser.close();
    }
  });

  suite.test(
    'a barcode gun types the token and Enter into the scan input, and the voucher is redeemed; scan-to-confirmed is measured',
    async ({ page }) => {
      const v = voucher();
      const token = await qrToken(v);
      await signIn(page.context(), merchant());
      await checkout(page, '128');
      await screen(page, 'checkout');
      const input = page.getByLabel('扫码枪 / 券码');
      await input.focus();
      const typing = Date.now();
      await page.keyboard.type(token, { delay: 0 });
      const scanned = Date.now();
      await page.keyboard.press('Enter');
      await confirmButton(page).click();
      await receipt(page).waitFor();
      const ms = Date.now() - scanned;
      process.stdout.write(
        `till: scan-to-confirmed ${ms} ms (from the gun's Enter: quote, confirm tap, redemption, receipt; the ${token.length} keystrokes before it took ${scanned - typing} ms through the driver)\n`,
      );
      expect(await redemptionsOf(v)).toHaveLength(1);
    },
  );

  suite.test(
    'a typed code with one wrong character is refused before any request; the right code redeems',
    async ({ page }) => {
      const v = voucher();
      await signIn(page.context(), merchant());
      const sent: string[] = [];
      page.on('request', (request) => {
        if (request.url().includes('/merchant/redemptions')) sent.push(request.url());
      });
      await checkout(page, '60');
      const raw = v.shortCode.replace(/-/g, '');
      const wrong = SHORT_CODE_ALPHABET[(SHORT_CODE_ALPHABET.indexOf(raw[5]) + 1) % SHORT_CODE_ALPHABET.length];
      await gun(page, formatShortCode(raw.slice(0, 5) + wrong + raw.slice(6)));
      await page.getByText('券码有误：请逐位核对').waitFor();
      expect(await page.getByLabel('扫码枪 / 券码').getAttribute('aria-invalid')).toBe('true');
      await screen(page, 'code-refused');
      expect(sent).toEqual([]);

      await page.getByLabel('扫码枪 / 券码').fill('');
      await gun(page, v.shortCode.toLowerCase());
      await confirmButton(page).click();
      await receipt(page).waitFor();
      expect(await redemptionsOf(v)).toHaveLength(1);
    },
  );

  suite.test(
    'a confirm whose answer is lost is sent again with the same key: one redemption, shown as success',
    async ({ page }) => {
      const v = voucher();
      const token = await qrToken(v);
      await signIn(page.context(), merchant());
      const seen = confirms(page);
      let lost = 0;
      await page.route(`**${REDEEM}`, async (route) => {
        if (lost > 0) return route.continue();
        lost += 1;
        // The api decides and commits; its answer never reaches the till.
        await route.fetch();
        await route.abort('connectionreset');
      });
      await checkout(page, '128');
      await scan(page, token);
      await confirmButton(page).click();
      await receipt(page).waitFor();
      const keys = seen.map((request) => request.headers()['idempotency-key']);
      expect(keys).toHaveLength(2);
      expect(new Set(keys).size).toBe(1);
      const rows = await redemptionsOf(v);
      expect(rows).toHaveLength(1);
      expect(rows[0].idempotency_key).toBe(keys[0]);
    },
  );

  suite.test(
    'a reload while the answers are lost resumes the stored attempt with its key and shows the first answer',
    async ({ page }) => {
      const v = voucher();
      const token = await qrToken(v);
      await signIn(page.context(), merchant());
      const seen = confirms(page);
      let losing = true;
      await page.route(`**${REDEEM}`, async (route) => {
        if (!losing) return route.continue();
        await route.fetch();
        await route.abort('connectionreset');
      });
      await checkout(page, '128');
      await scan(page, token);
      await confirmButton(page).click();
      await waitUntil('two confirms lost', () => Promise.resolve(seen.length >= 2), 10000);
      losing = false;
      await page.reload();
      await receipt(page).waitFor();
      expect(new Set(seen.map((request) => request.headers()['idempotency-key'])).size).toBe(1);
      expect(await redemptionsOf(v)).toHaveLength(1);
      expect(await page.evaluate(`localStorage.getItem('quan.till.pending')`)).toBeNull();
    },
  );

  suite.test(
    'while the network is down a banner says so; the confirm waits and goes through once it is back',
    async ({ page, context }) => {
      const v = voucher();
      const token = await qrToken(v);
      await signIn(context, merchant());
      const seen = confirms(page);
      await checkout(page, '128');
      await scan(page, token);
      await confirmButton(page).waitFor();
      await context.setOffline(true);
      await page.getByText('网络已断开').waitFor();
      await confirmButton(page).click();
      await page
        .getByText(/正在核销|还没收到结果/)
        .first()
        .waitFor();
      await screen(page, 'offline');
      expect(seen).toHaveLength(0);
      await context.setOffline(false);
      await receipt(page).waitFor();
      expect(seen).toHaveLength(1);
      expect(await redemptionsOf(v)).toHaveLength(1);
    },
  );

  suite.test('a double tap on confirm sends one request', async ({ page }) => {
    const v = voucher();
    const token = await qrToken(v);
    await signIn(page.context(), merchant());
    const seen = confirms(page);
    await checkout(page, '128');
    await scan(page, token);
    await confirmButton(page).dblclick();
    await receipt(page).waitFor();
    expect(seen).toHaveLength(1);
    expect(await redemptionsOf(v)).toHaveLength(1);
  });

  suite.test(
    'two tills confirming the same QR code at once: one redeems, the other is told the voucher is already redeemed',
    async ({ page, context }) => {
      const v = voucher();
      const token = await qrToken(v);
      await signIn(context, merchant());
      const second = await suite.browser.newContext({ ...PHONE, baseURL: suite.baseUrl });
      try {
        await signIn(second, merchant());
        const other = await second.newPage();
        for (const till of [page, other]) {
          await checkout(till, '128');
          await scan(till, token);
          await confirmButton(till).waitFor();
        }
        await Promise.all([confirmButton(page).click(), confirmButton(other).click()]);
        const outcomes = await Promise.all(
          [page, other].map((till) =>
            Promise.race([
              receipt(till)
                .waitFor()
                .then(() => 'receipt'),
              refusal(till)
                .getByText(/核销过/)
                .waitFor()
                .then(() => 'refused'),
            ]),
          ),
        );
        expect(outcomes.sort()).toEqual(['receipt', 'refused']);
        expect(await redemptionsOf(v)).toHaveLength(1);
      } finally {
        await second.close();
      }
    },
  );

  suite.test(
    "today's list shows the day's redemptions and totals, and one is reversed with a reason after a confirmation",
    async ({ page }) => {
      const v = voucher();
      await call(
        'POST',
        '/merchant/redemptions',
        merchant().cashierTokens[1],
        { code: v.shortCode, orderAmountFen: 8800 },
        randomUUID(),
      );
      await signIn(page.context(), merchant());
      await page.goto('/till/today');
      await page.getByRole('heading', { name: /今日流水/ }).waitFor();
      await screen(page, 'today');
      const item = page.getByRole('listitem').filter({ hasText: v.shortCode });
      await item.getByRole('button', { name: '撤销' }).click();
      await item.getByLabel('顾客退货').check();
      await item.getByRole('button', { name: '下一步' }).click();
      await item.getByText('不可恢复').waitFor();
      await screen(page, 'reversal');
      await item.getByRole('button', { name: '确认撤销' }).click();
      await item.getByText('已撤销').waitFor();
      const [row] = await redemptionsOf(v);
      expect(row.reversed_at).not.toBeNull();
      const [{ reason }] = await db.query<{ reason: string }[]>(
        `SELECT after->>'reason' AS reason FROM audit_log WHERE entity_id = $1 AND action = 'redemption.reverse'`,
        [row.id],
      );
      expect(reason).toBe('顾客退货');
    },
  );

  suite.test(
    'refusals are explained with what to do: an expired token, an already redeemed voucher, a merchant or category the voucher is not for, a suspended shop',
    async ({ page, context }) => {
      // Expired: a token of one second, read after it ran out.
      const expired = voucher();
      const shortLived = new VoucherTokens(configWith(suite.env.config, { QR_TOKEN_TTL_S: 1 })).issue(
        expired.id,
        expired.residentId,
      ).token;
      await new Promise((resolve) => setTimeout(resolve, 1100));
      await signIn(context, merchant());
      await checkout(page, '128');
      await scan(page, shortLived);
      await refusal(page).getByText('付款码已过期').waitFor();
      await screen(page, 'refusal');

      // Already redeemed: at another till of the same merchant, a moment ago.
      const used = voucher();
      const usedToken = await qrToken(used);
      await call(
        'POST',
        '/merchant/redemptions',
        merchant().cashierTokens[1],
        { code: used.shortCode, orderAmountFen: 8800 },
        randomUUID(),
      );
      await page.getByRole('button', { name: '重新扫码' }).click();
      await scan(page, usedToken);
      await refusal(page)
        .getByText(/已在 .* 于本店核销过，不能再用/)
        .waitFor();
      expect(await redemptionsOf(used)).toHaveLength(1);

      // Not for this merchant: a shop of another county, a shop of a category the voucher leaves out, a suspended shop.
      const shops = [
        [fixture.otherCounty, '不能在本店使用'],
        [fixture.retail, '不适用于本店的经营类别'],
        [fixture.suspended, '本店已被暂停核销'],
      ] as const;
      for (const [shop, says] of shops) {
        const elsewhere = voucher();
        const other = await suite.browser.newContext({ ...PHONE, baseURL: suite.baseUrl });
        try {
          await signIn(other, shop);
          const otherPage = await other.newPage();
          await checkout(otherPage, '128');
          await scan(otherPage, await qrToken(elsewhere));
          await refusal(otherPage).getByText(says).waitFor();
          expect(await redemptionsOf(elsewhere)).toHaveLength(0);
        } finally {
          await other.close();
        }
      }
    },
  );

  suite.test('a merchant admin manages cashiers and reads statements and payouts', async ({ page }) => {
    const { id } = merchant();
    await db.query(
      `INSERT INTO settlement_statements (merchant_id, business_day, status, total_fen, redemption_count, adjustment_count) VALUES ($1, '2026-11-26', 'open', 1500, 1, 0)`,
      [id],
    );
    await signIn(page.context(), merchant(), 'merchant_admin');
    await page.goto('/till/cashiers');
    await page.getByRole('heading', { name: '收银员管理' }).waitFor();
    await page.getByLabel('登录账号').fill('till-e2e-2');
    await page.getByLabel('姓名').fill('收银员小赵');
    await page.getByLabel(/初始密码/).fill('till-pass-2026');
    await page.getByRole('button', { name: '创建' }).click();
    await page.getByText('已创建 收银员小赵。').waitFor();
    const row = page.getByRole('listitem').filter({ hasText: 'till-e2e-2' });
    await row.getByRole('button', { name: '停用' }).click();
    await row.getByText('已停用').waitFor();
    await screen(page, 'cashiers');
    const [{ disabled }] = await db.query<{ disabled: boolean }[]>(
      `SELECT disabled FROM staff_accounts WHERE username = 'till-e2e-2'`,
    );
    expect(disabled).toBe(true);

    await page.getByRole('link', { name: '结算' }).click();
    await page.getByRole('heading', { name: '结算单' }).waitFor();
    await page.getByText('2026-11-26').waitFor();
    await page.getByText('未打款').waitFor();
    await screen(page, 'statements');
    await page.getByRole('link', { name: /2026-11-26/ }).click();
    await page.getByText('应付补贴').waitFor();
    await screen(page, 'statement');
  });
});
