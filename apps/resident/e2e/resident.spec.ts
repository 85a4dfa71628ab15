import type { Page, Request } from 'playwright-core';
import {
  call,
  newPerson,
  OpenedRound,
  publishedRound,
  QR_TOKEN_TTL_S,
  readQrCode,
  residentSuite,
  screenshot,
  seriousViolations,
  signedInPage,
  sql,
  staffToken,
  verifiedResident,
} from './support';

/**
 * The resident H5 in Chromium on a phone (390×844, touch), against the real api serving the built app.
 * One api and one browser for the whole file; each test its own resident and its own rounds.
 */
describe('the resident H5 in a phone browser', () => {
  const suite = residentSuite(__filename);

  /** Every screen is checked by axe-core and photographed for the docs. */
  async function screen(page: Page, name: string, options: { wholePage?: boolean } = {}): Promise<void> {
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, name, options.wholePage);
  }

  const roundCard = (page: Page, round: OpenedRound & { name: string }) =>
    page.getByRole('region', { name: new RegExp(round.name) });

  async function namedRound(options: {
    opensInMs: number;
    stock: number;
    perPerson?: number;
  }): Promise<OpenedRound & { name: string }> {
    const round = await publishedRound(suite, options);
    const [{ name }] = await sql<{ name: string }>(suite, 'SELECT name FROM campaigns WHERE id = $1', [
      round.campaignId,
    ]);
    return { ...round, name };
  }

  async function quote(token: string): Promise<{ discountFen: number }> {
    const cashier = await staffToken(suite, 'm001-cashier');
    return call(suite, 'POST', '/merchant/redemptions/quote', {
      token: cashier,
      body: { token, orderAmountFen: 12800 },
    });
  }

  /** Logs a new resident in and verifies them on the page; `beforeVerify` runs just before the last tap. */
  async function logInAndVerify(
    page: Page,
    options: { care: boolean; beforeVerify: () => Promise<void> },
  ): Promise<void> {
    const suffix = options.care ? '-care' : '';
    const person = newPerson();
    await page.goto('/h5/');
    await page.getByRole('heading', { name: '手机号登录' }).waitFor();
    if (options.care) {
      await page.getByRole('switch', { name: '关怀模式' }).check();
      await page.reload();
      expect(await page.getByRole('switch', { name: '关怀模式' }).isChecked()).toBe(true);
    }
    await screen(page, `login${suffix}`);
    await page.getByLabel('手机号').fill(person.phone);
    await page.getByRole('button', { name: '获取验证码' }).click();
    const hint = await page.getByText(/开发环境验证码：\d{6}/).textContent();
    expect(await page.getByRole('button', { name: /\d+ 秒后可重发/ }).isDisabled()).toBe(true);
    await page.getByLabel('验证码').fill(/\d{6}/.exec(hint ?? '')![0]);
    // 关怀模式 logs in at the sixth digit: one tap fewer.
    if (!options.care) await page.getByRole('button', { name: '登录' }).click();

    await page.getByRole('heading', { name: '实名认证' }).waitFor();
    await page.getByText('每人限领的份数按人计算，不按手机号').waitFor();
    await page.getByLabel('姓名').fill('王五');
    await page.getByLabel('身份证号').fill(person.idNumber.slice(0, 15));
    await page.getByText('还差 3 位').waitFor();
    const wrongCheck = person.idNumber.slice(0, 17) + (person.idNumber[17] === '0' ? '1' : '0');
    await page.getByLabel('身份证号').fill(wrongCheck);
    await page.getByText('身份证号有误').waitFor();
    expect(await page.getByRole('button', { name: '认证' }).isDisabled()).toBe(true);
    await page.getByLabel('身份证号').fill(person.idNumber);
    await page.getByText('号码格式正确').waitFor();
    await screen(page, `verify${suffix}`);
    await options.beforeVerify();
    await page.getByRole('button', { name: '认证' }).click();
  }

  /** The round's button stays off until the opening second, lights up then, and a tap wins a pack. */
  async function claimAtOpening(page: Page, round: OpenedRound & { name: string }, suffix: string): Promise<void> {
    const card = roundCard(page, round);
    await card.getByRole('timer').waitFor();
    expect(round.opensAt - Date.now()).toBeGreaterThan(1500);
    expect(await card.getByRole('button', { name: '未开始' }).isDisabled()).toBe(true);
    await screen(page, `rounds-countdown${suffix}`, { wholePage: true });
    await card.getByRole('button', { name: '立即抢券' }).waitFor({ timeout: 15_000 });
    const litAt = Date.now();
    // The server clock is learnt from whole-second Date headers: lit within that second, never long before.
    expect(litAt).toBeGreaterThan(round.opensAt - 1000);
    expect(litAt).toBeLessThan(round.opensAt + 1000);
    await card.getByRole('button', { name: '立即抢券' }).click();
    await card.getByText('抢到了！已放入券包').waitFor();
    expect(await card.getByRole('button', { name: '已抢到' }).isDisabled()).toBe(true);
    await screen(page, `claim-won${suffix}`, { wholePage: true });
  }

  /** The pay code on screen is a token a cashier can quote, and a new one replaces it before it expires. */
  async function payCodeRenews(page: Page, suffix: string): Promise<string> {
    const qr = page.getByRole('img', { name: '付款二维码' });
    await qr.waitFor();
    await screen(page, `voucher-qr${suffix}`);
    const first = await readQrCode(page, '付款二维码');
    expect((await quote(first)).discountFen).toBe(500);
    const firstExpiry = await qr.getAttribute('data-expires-at');
    // Selectors, not a string predicate: the apps' content security policy refuses string evaluation.
    await page
      .locator(`[data-expires-at]:not([data-expires-at=${JSON.stringify(firstExpiry)}])`)
      .waitFor({ timeout: QR_TOKEN_TTL_S * 1000 });
    const second = await readQrCode(page, '付款二维码');
    expect(second).not.toBe(first);
    expect((await quote(second)).discountFen).toBe(500);
    return second;
  }

  suite.test(
    'logs in, verifies, claims at the opening second and pays with a QR code that renews itself',
    async ({ page }) => {
      const roundsAsked: number[] = [];
      page.on('request', (request: Request) => {
        if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/rounds')
          roundsAsked.push(Date.now());
      });
      let round!: OpenedRound & { name: string };
      await logInAndVerify(page, {
        care: false,
        beforeVerify: async () => void (round = await namedRound({ opensInMs: 7000, stock: 100 })),
      });
      await claimAtOpening(page, round, '');
      // Waiting for the opening asked for the rounds at most once per 10 s (the win itself refreshes them).
      const waiting = roundsAsked.filter((at) => at < round.opensAt);
      expect(waiting.length).toBeGreaterThanOrEqual(1);
      waiting.slice(1).forEach((at, i) => expect(at - waiting[i]).toBeGreaterThanOrEqual(9_500));

      await page.getByRole('link', { name: '券包', exact: true }).click();
      await page.getByRole('tab', { name: '可使用 (2)' }).waitFor();
      expect(await page.getByRole('list', { name: '可使用' }).getByRole('listitem').count()).toBe(2);
      await screen(page, 'wallet');
      await page.getByRole('link', { name: /^查看/ }).first().click();
      await page.getByText('券码（扫码失败时告诉收银员）').waitFor();
      const token = await payCodeRenews(page, '');

      // The cashier redeems it: the voucher's history says where, when, the order and the discount.
      const cashier = await staffToken(suite, 'm001-cashier');
      await call(suite, 'POST', '/merchant/redemptions', {
        token: cashier,
        body: { token, orderAmountFen: 12800 },
        headers: { 'idempotency-key': `till-${token.slice(-12)}` },
      });
      await page.reload();
      await page.getByText('订单 ¥128.00，优惠 ¥5.00').waitFor();
      await page.getByText('这张券已经用过了，不能再出示付款码').waitFor();
      await screen(page, 'voucher-history');
      await page.getByRole('link', { name: '返回券包' }).click();
      await page.getByRole('tab', { name: '已使用 (1)' }).click();
      expect(await page.getByRole('list', { name: '已使用' }).getByRole('listitem').count()).toBe(1);

      await page.getByRole('button', { name: '退出登录' }).click();
      await page.getByRole('heading', { name: '手机号登录' }).waitFor();
      await page.goto('/h5/wallet');
      await page.getByRole('heading', { name: '手机号登录' }).waitFor();
    },
    90_000,
  );

  suite.test(
    'shows sold out, limit reached and busy each as its own state',
    async () => {
      const [soldOut, limited, busy] = await Promise.all([
        namedRound({ opensInMs: 0, stock: 1 }),
        namedRound({ opensInMs: 0, stock: 10 }),
        namedRound({ opensInMs: 0, stock: 10 }),
      ]);
      const { page, idNumber } = await signedInPage(suite);
      const [other, samePersonOtherPhone] = await Promise.all([
        verifiedResident(suite),
        verifiedResident(suite, idNumber),
      ]);
      await new Promise((resolve) =>
        setTimeout(resolve, Math.max(0, Math.max(soldOut.opensAt, limited.opensAt, busy.opensAt) - Date.now() + 100)),
      );
      // The same person already claimed with another phone: limits count people, not phones.
      await call(suite, 'POST', `/rounds/${limited.roundId}/claims`, {
        token: samePersonOtherPhone.accessToken,
        body: { offerId: limited.offerId },
      });
      await page.route('**/api/v1/rounds/*/claims', async (route) => {
        if (route.request().url().includes(busy.roundId)) {
          await route.fulfill({
            status: 503,
            headers: { 'retry-after': '30', 'content-type': 'application/problem+json' },
            body: JSON.stringify({ code: 'UNAVAILABLE', status: 503 }),
          });
        } else {
          await route.continue();
        }
      });
      await page.goto('/h5/');
      await roundCard(page, soldOut).getByRole('button', { name: '立即抢券' }).waitFor();
      // Someone else takes the last pack while the page still shows one left.
      await call(suite, 'POST', `/rounds/${soldOut.roundId}/claims`, {
        token: other.accessToken,
        body: { offerId: soldOut.offerId },
      });

      await roundCard(page, soldOut).getByRole('button', { name: '立即抢券' }).click();
      await roundCard(page, soldOut).getByText('已抢光，本场券已被领完').waitFor();
      await screen(page, 'claim-sold-out', { wholePage: true });

      await roundCard(page, limited).getByRole('button', { name: '立即抢券' }).click();
      await roundCard(page, limited).getByText('您已达到领取上限').waitFor();
      await screen(page, 'claim-limit-reached', { wholePage: true });

      await roundCard(page, busy).getByRole('button', { name: '立即抢券' }).click();
      await roundCard(page, busy).getByText('人太多了，请 30 秒后再试').waitFor();
      expect(
        await roundCard(page, busy)
          .getByRole('button', { name: /\d+ 秒后可再试/ })
          .isDisabled(),
      ).toBe(true);
      await screen(page, 'claim-busy', { wholePage: true });
    },
    60_000,
  );

  suite.test(
    'shows a retry state when the api cannot be reached, and a rate limit on codes as a wait',
    async () => {
      const { page } = await signedInPage(suite);
      await page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
      await page.goto('/h5/');
      await page.getByRole('heading', { name: '暂时连不上服务' }).waitFor({ timeout: 15_000 });
      await screen(page, 'api-down');
      await page.unroute('**/api/v1/**');
      await page.getByRole('button', { name: '重试' }).click();
      await page.getByRole('heading', { name: '抢消费券' }).waitFor();
      await page.getByRole('heading', { name: '暂时连不上服务' }).waitFor({ state: 'detached' });

      const { page: login } = await suite.newPage();
      await login.route('**/api/v1/auth/otp', (route) =>
        route.fulfill({
          status: 429,
          headers: { 'retry-after': '42', 'content-type': 'application/problem+json' },
          body: JSON.stringify({ code: 'RATE_LIMITED', status: 429 }),
        }),
      );
      await login.goto('/h5/login');
      await login.getByLabel('手机号').fill(newPerson().phone);
      await login.getByRole('button', { name: '获取验证码' }).click();
      await login.getByText('请求太频繁，请 42 秒后再获取验证码').waitFor();
      expect(await login.getByRole('button', { name: /4[12] 秒后可重发/ }).isDisabled()).toBe(true);
    },
    60_000,
  );

  suite.test(
    'waits calmly when the api sheds a call (503 BUSY), and sends it again after Retry-After with its ticket',
    async () => {
      const { page } = await suite.newPage();
      const tickets: (string | undefined)[] = [];
      await page.route('**/api/v1/auth/otp', async (route) => {
        tickets.push(route.request().headers()['retry-ticket']);
        if (tickets.length > 2) return route.continue();
        await route.fulfill({
          status: 503,
          headers: {
            'retry-after': '2',
            'retry-ticket': `ticket-${tickets.length}`,
            'content-type': 'application/problem+json',
          },
          body: JSON.stringify({ code: 'BUSY', status: 503, retryAfterSeconds: 2 }),
        });
      });
      await page.goto('/h5/login');
      await page.getByLabel('手机号').fill(newPerson().phone);
      await page.getByRole('button', { name: '获取验证码' }).click();
      await page
        .getByRole('status')
        .getByText(/排队的人很多，[12] 秒后自动为您重试/)
        .waitFor();
      await screen(page, 'busy');
      await page
        .getByRole('status')
        .getByText(/排队的人很多/)
        .waitFor({ state: 'detached', timeout: 10_000 });
      expect(tickets).toEqual([undefined, 'ticket-1', 'ticket-2']);
      await page.getByRole('button', { name: /秒后可重发/ }).waitFor();
    },
    60_000,
  );

  suite.test(
    'sends a claim whose answer was lost again with the same key, and ends with exactly one claim',
    async () => {
      const round = await namedRound({ opensInMs: 0, stock: 10 });
      const { page } = await signedInPage(suite);
      const keys: string[] = [];
      await page.route('**/api/v1/rounds/*/claims', async (route) => {
        keys.push(route.request().headers()['idempotency-key']);
        if (keys.length === 1) {
          // The api decides and commits the claim; its answer never reaches the phone.
          await route.fetch();
          await route.abort('connectionreset');
        } else {
          await route.continue();
        }
      });
      await page.goto('/h5/');
      await roundCard(page, round).getByRole('button', { name: '立即抢券' }).click();
      await roundCard(page, round).getByText('抢到了！已放入券包').waitFor();
      expect(keys).toHaveLength(2);
      expect(keys[1]).toBe(keys[0]);
      const [{ claims }] = await sql<{ claims: string }>(
        suite,
        'SELECT count(*) AS claims FROM claims WHERE round_id = $1',
        [round.roundId],
      );
      expect(Number(claims)).toBe(1);
    },
    60_000,
  );

  suite.test(
    'offers the same flow in 关怀模式: large text, big targets, one step fewer',
    async ({ page }) => {
      let round!: OpenedRound & { name: string };
      await logInAndVerify(page, {
        care: true,
        beforeVerify: async () => void (round = await namedRound({ opensInMs: 6000, stock: 100 })),
      });
      await roundCard(page, round).getByRole('timer').waitFor();
      const metrics = await page.evaluate(`(() => {
      // What a finger hits: a checkbox's target is its label; the skip link sits off screen until focused.
      const targets = [...document.querySelectorAll('button, a, input, select')]
        .map((el) => (el.type === 'checkbox' ? el.closest('label') : el))
        .map((el) => el.getBoundingClientRect())
        .filter((rect) => rect.height > 0 && rect.right > 0);
      return {
        bodyPx: parseFloat(getComputedStyle(document.body).fontSize),
        smallest: Math.min(...targets.map((rect) => Math.min(rect.height, rect.width))),
      };
    })()`);
      expect(metrics).toEqual({ bodyPx: expect.any(Number), smallest: expect.any(Number) });
      const { bodyPx, smallest } = metrics as { bodyPx: number; smallest: number };
      expect(bodyPx).toBeGreaterThanOrEqual(18);
      expect(smallest).toBeGreaterThanOrEqual(44);
      await claimAtOpening(page, round, '-care');
      // One step fewer: straight from the win to the pay code.
      await roundCard(page, round).getByRole('link', { name: '出示付款码' }).click();
      await payCodeRenews(page, '-care');
      await page.getByRole('link', { name: '券包', exact: true }).click();
      await page.getByRole('tab', { name: '可使用 (2)' }).waitFor();
      await screen(page, 'wallet-care');
      await page.getByRole('link', { name: '商户', exact: true }).click();
      await page.getByText(/共 \d+ 家/).waitFor();
      await screen(page, 'merchants-care');
    },
    90_000,
  );

  suite.test(
    'finds where to spend by county, category and name, in Chinese and English',
    async () => {
      const { page } = await signedInPage(suite);
      await page.goto('/h5/merchants');
      const total = async () => Number(/共 (\d+) 家/.exec((await page.getByText(/共 \d+ 家/).textContent()) ?? '')![1]);
      await page.getByText(/共 \d+ 家/).waitFor();
      const all = await total();
      expect(all).toBeGreaterThan(20);
      await page.getByLabel('区县').selectOption({ label: '汉滨区' });
      await page.getByText(`共 ${all} 家`).waitFor({ state: 'hidden' });
      const [{ inCounty }] = await sql<{ inCounty: string }>(
        suite,
        `SELECT count(*) AS "inCounty" FROM merchants WHERE county_code = 'hanbin' AND status = 'approved'`,
      );
      expect(await total()).toBe(Number(inCounty));
      const [{ name }] = await sql<{ name: string }>(
        suite,
        `SELECT name FROM merchants WHERE county_code = 'hanbin' AND status = 'approved' ORDER BY name LIMIT 1`,
      );
      await page.getByLabel('搜索商户名称').fill(name);
      await page.getByText('共 1 家').waitFor();
      await page.getByText(name, { exact: true }).waitFor();
      await screen(page, 'merchants');

      await page.getByLabel('搜索商户名称').fill('');
      await page.getByLabel('区县').selectOption({ label: '全部' });
      await page.getByText(`共 ${all} 家`).waitFor();
      expect(await page.getByRole('listitem').count()).toBe(20);
      await page.getByRole('button', { name: '加载更多' }).click();
      await page
        .getByRole('listitem')
        .nth(Math.min(40, all) - 1)
        .waitFor();
      expect(await page.getByRole('listitem').count()).toBe(Math.min(40, all));

      await page.getByRole('button', { name: 'English' }).click();
      await page.getByRole('heading', { name: 'Where to spend' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Where to spend' }).waitFor();
      expect(await page.evaluate('document.documentElement.lang')).toBe('en');
      await page.getByRole('link', { name: 'Grab' }).click();
      await page.getByRole('heading', { name: 'Grab vouchers' }).waitFor();
      await screen(page, 'rounds-en');
    },
    60_000,
  );
});
