import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import type { Page } from 'playwright-core';
import { call, consoleSuite, screenshot, seriousViolations, signIn, staffToken } from './support';

interface Overview {
  today: { leverage: number | null; claims: number };
  campaigns: { campaignId: string }[];
  daily: { businessDay: string }[];
}
interface Leverage {
  rows: { key: string; label: string }[];
  total: { leverage: number | null; redemptions: number };
}

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

/**
 * The dashboard and the leverage report in a desktop Chromium on the demo city with its two weeks of
 * settled history: every chart is drawn from the reports api, and the figures on screen are the api's.
 */
describe('the bureau console: dashboard and reports', () => {
  const suite = consoleSuite(__filename, { history: true });

  suite.test('the dashboard draws its charts from the reports and shows the api’s leverage', async ({ page }) => {
    // The worker's campaign clock starts a published campaign once its time has come; no worker runs here.
    const db = new Client({ connectionString: suite.env.config.DATABASE_URL });
    await db.connect();
    await db.query(`UPDATE campaigns SET status = 'running' WHERE code = 'QLG-07'`).finally(() => db.end());
    const token = await staffToken(suite, 'admin');
    const overview = await call<Overview>(suite, 'GET', '/reports/overview', { token });
    const period = await call<Leverage>(suite, 'GET', '/reports/leverage?by=day', { token });
    expect(period.total.redemptions).toBeGreaterThan(0);
    expect(overview.campaigns.length).toBeGreaterThan(0);

    await signIn(page, 'admin');
    // The dashboard is the first section of the menu: the console opens on it.
    await page.waitForURL(/\/console\/dashboard$/);
    for (const chart of ['chart-budget', 'chart-daily', 'chart-category', 'chart-county'])
      expect(await paintedPixels(page, chart)).toBeGreaterThan(500);
    const shown = async (testId: string) =>
      (await page.getByTestId(testId).locator('.ant-statistic-content').textContent())?.trim();
    expect(await shown('leverage-period')).toBe(period.total.leverage!.toFixed(2));
    expect(await shown('leverage-today')).toBe(
      overview.today.leverage === null ? '—' : overview.today.leverage.toFixed(2),
    );
    await page
      .getByRole('cell', {
        name: (await call<Leverage>(suite, 'GET', '/reports/leverage?by=merchant&limit=10', { token })).rows[0].label,
      })
      .first()
      .waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard');
  });

  suite.test('the leverage report by county matches the api, and its CSV downloads', async ({ page }) => {
    const token = await staffToken(suite, 'finance');
    const byCounty = await call<Leverage>(suite, 'GET', '/reports/leverage?by=county&limit=200', { token });
    await signIn(page, 'finance');
    await page.getByRole('menuitem', { name: '拉动报表' }).click();
    await page.getByText('按区县').click();
    await page.getByRole('columnheader', { name: '区县' }).waitFor();
    for (const row of byCounty.rows) await page.getByRole('cell', { name: row.label, exact: true }).waitFor();
    expect(await page.getByTestId('leverage-total').textContent()).toBe(byCounty.total.leverage!.toFixed(2));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'reports');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^leverage-county-.*\.csv$/);
    // Saved through the connection: the run's shared Chromium keeps its downloads on its own side.
    const file = join(tmpdir(), `console-e2e-${process.pid}-${download.suggestedFilename()}`);
    await download.saveAs(file);
    const csv = readFileSync(file, 'utf8');
    rmSync(file);
    expect(csv).toContain('区县');
    for (const row of byCounty.rows) expect(csv).toContain(row.label);
  });
});
