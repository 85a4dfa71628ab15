import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { call, consoleSuite, screenshot, seriousViolations, signIn, staffToken } from './support';

/** How many pixels of the chart's canvas something was drawn on (a blank canvas has none). */
async function paintedPixels(page: Page, testId: string): Promise<number> {
  await page.locator(`[data-testid="${testId}"] canvas`).first().waitFor();
  return (await page.evaluate(`(() => {
    const canvas = document.querySelector('[data-testid="${testId}"] canvas');
    const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted += 1;
    return painted;
  })()`)) as number;
}

async function confirmDialog(page: Page, reason: string): Promise<void> {
  await page.getByRole('dialog').getByLabel('理由').fill(reason);
  await page
    .getByRole('dialog')
    .getByRole('button', { name: /确\s*认/ })
    .click();
  await page.getByRole('dialog').waitFor({ state: 'detached' });
}

/**
 * The risk inbox in a desktop Chromium on the demo city with its settled history: a high flag of a 汉滨区
 * merchant, as the worker raises it, shows in the county admin's inbox with its evidence and the chart of
 * the merchant's order amounts against the city's; the county admin proposes clearing it, and the city
 * admin, another person, confirms; the api then holds nothing.
 */
describe('the bureau console: risk inbox', () => {
  const suite = consoleSuite(__filename, { history: true });

  suite.test('a flag is read with its evidence and chart, and cleared by two people', async ({ page }) => {
    const db = new Client({ connectionString: suite.env.config.DATABASE_URL });
    await db.connect();
    const [merchant] = (
      await db.query(
        `SELECT m.id, m.name FROM merchants m WHERE m.county_code = 'hanbin' AND m.status = 'approved'
            AND EXISTS (SELECT 1 FROM redemptions r WHERE r.merchant_id = m.id) ORDER BY m.licence_no LIMIT 1`,
      )
    ).rows as { id: string; name: string }[];
    const [flag] = (
      await db.query(
        `INSERT INTO risk_flags (rule_code, rule_version, subject_key, merchant_id, county_code, business_day, severity,
                                 summary, evidence)
         VALUES ('threshold_band', 1, 'merchant:' || $1::text || ':2026-12-01', $1::uuid, 'hanbin', '2026-12-01', 'high',
                 '61 of 80 threshold orders just above the threshold (76.3 % against 8.1 % in the category)',
                 '{"figures": {"bandOrders": 61, "thresholdOrders": 80, "share": 0.7625, "baselineShare": 0.081, "z": 9.4},
                   "redemptionIds": ["0193a1c2-0000-7000-8000-000000000001"]}')
         RETURNING id`,
        [merchant.id],
      )
    ).rows as { id: string }[];
    await db.end();

    await signIn(page, 'hanbin-admin', '/console/risk');
    const row = page.getByRole('row', { name: new RegExp(merchant.name) });
    await row.waitFor();
    await row.getByText('满减门槛凑单').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'risk-inbox');

    await row.getByRole('link').click();
    await page.waitForURL(new RegExp(`/console/risk/${flag.id}$`));
    await page.getByText('76.3 %').waitFor();
    await page.getByText('0193a1c2-0000-7000-8000-000000000001').waitFor();
    await page.getByText('该商户的结算单已暂停').waitFor();
    expect(await paintedPixels(page, 'risk-amounts-chart')).toBeGreaterThan(500);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'risk-flag');

    // The maker proposes; they are not offered the confirmation of their own proposal.
    await page.getByRole('button', { name: '申请解除' }).click();
    await confirmDialog(page, '实地核查：套餐定价 100 元');
    await page.getByText('由您申请，需另一位管理员复核').waitFor();

    // Another administrator confirms.
    await page.getByRole('button', { name: '退出登录' }).click();
    await signIn(page, 'admin', `/console/risk/${flag.id}`);
    await page.getByRole('button', { name: '复核解除' }).click();
    await confirmDialog(page, '同意解除');
    await page.locator('.ant-tag', { hasText: '已解除' }).waitFor();
    const token = await staffToken(suite, 'auditor');
    const after = await call<{ status: string; held: boolean }>(suite, 'GET', `/risk/merchants/${merchant.id}`, {
      token,
    });
    expect(after.held).toBe(false);
  });
});
