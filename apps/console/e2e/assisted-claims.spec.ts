import { randomUUID } from 'node:crypto';
import { idNumberCheckCharacter } from '@quan/domain';
import { call, consoleSuite, screenshot, seriousViolations, signIn, staffToken } from './support';

/**
 * Assisted claims in a desktop Chromium: the demo's community agent registers a resident without a smartphone
 * (with consent), claims the open round's pack for them, prints a voucher, and the printed short code redeems
 * at a till typed in by a cashier.
 */
describe('the bureau console: assisted claims', () => {
  const suite = consoleSuite(__filename);

  suite.test(
    'register a resident → claim for them → print a voucher whose short code a cashier redeems',
    async ({ page }) => {
      const digits17 = `61090219450101${String(Date.now() % 1000).padStart(3, '0')}`;
      const idNumber = `${digits17}${idNumberCheckCharacter(digits17)}`;
      await signIn(page, 'hanbin-agent');
      await page.getByRole('menuitem', { name: '代领助老' }).click();
      await page.getByRole('heading', { name: '代领助老' }).waitFor();

      await page.getByRole('button', { name: '登记居民' }).click();
      await page.getByLabel('姓名（与身份证一致）').fill('李桂兰');
      await page.getByLabel('身份证号码').fill(idNumber);
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'assisted-register');
      await page.getByRole('button', { name: /确\s*认/ }).click();
      await page.getByRole('status').filter({ hasText: '已登记 李**' }).waitFor();

      await page.getByRole('link', { name: '代办 李**' }).first().click();
      await page.getByRole('heading', { name: '正在为 李** 代办' }).waitFor();
      await page
        .getByRole('button', { name: /^代领 / })
        .first()
        .click();
      await page
        .getByRole('status')
        .filter({ hasText: /已代领 \d+ 张券/ })
        .waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'assisted-serve');

      await page
        .getByRole('button', { name: /^打印 满30减5/ })
        .first()
        .click();
      const paper = page.getByRole('article', { name: '消费券（纸质凭证）' });
      await paper.waitFor();
      const shortCode = (await page.getByTestId('short-code').textContent())!.trim();
      expect(shortCode).toMatch(/\S{6,}/);
      await paper.getByText('有效期').waitFor();
      await page.emulateMedia({ media: 'print' });
      expect(await page.getByRole('button', { name: '打印本页' }).isVisible()).toBe(false);
      await screenshot(page, 'assisted-print');
      await page.emulateMedia({ media: 'screen' });

      const redeemed = await call<{ id: string }>(suite, 'POST', '/merchant/redemptions', {
        token: await staffToken(suite, 'm001-cashier'),
        body: { code: shortCode, orderAmountFen: 5000 },
        headers: { 'idempotency-key': `e2e-${randomUUID()}` },
      });
      expect(redeemed.id).toEqual(expect.any(String));
    },
  );
});
