import type { Page } from 'playwright-core';
import { createDataSource } from '@quan/data';
import { PROVINCIAL_CAMPAIGN_CODE } from '@quan/demo';
import { type ClaimFixture, createClaimFixture, postClaim } from '@quan/testing';
import { call, consoleSuite, screenshot, seriousViolations, signIn, staffToken } from './support';

interface MonitorAnswer {
  rounds: {
    roundId: string;
    claimed: number;
    offers: { remaining: number }[];
    refusals: { code: string; count: number }[];
  }[];
}

/** The live round monitor in a desktop Chromium, following claims made through the api while it is open. */
describe('the bureau console: live round monitor', () => {
  const suite = consoleSuite(__filename);

  const fixture = async (): Promise<ClaimFixture> => {
    const db = createDataSource(suite.env.config);
    await db.initialize();
    try {
      return await createClaimFixture(db, suite.env.config, { stock: 5, residents: 7, perPersonLimit: 1 });
    } finally {
      await db.destroy();
    }
  };

  /** The figure with this test id once it reads `expected` (the screen polls every 2 s; flushes lag by about 2 s). */
  const figure = (page: Page, testId: string, expected: string) =>
    page
      .getByTestId(testId)
      .filter({ hasText: new RegExp(`^${expected}$`) })
      .waitFor({ timeout: 10000 });

  suite.test(
    'a city admin watches a round: stock left, claims and refusals follow the api within seconds',
    async ({ page }) => {
      const f = await fixture();
      const api = `${suite.baseUrl}/api/v1`;
      await signIn(page, 'admin', `/console/monitor/${f.campaignId}`);
      // The fixture's two rounds are both open: watch the first.
      await page.getByText(/^测试场 · /).click();
      await page.getByRole('radio', { name: /^测试场/, checked: true }).waitFor({ state: 'attached' });
      await page.getByTestId('round-status').filter({ hasText: '进行中' }).waitFor();
      await figure(page, 'remaining', '5');
      await figure(page, 'claimed', '0');

      const [a, b, c, d, e, g, h] = f.residents;
      for (const resident of [a, b, c, d]) expect((await postClaim(api, f, resident.token)).status).toBe(201);
      await figure(page, 'remaining', '1');
      await figure(page, 'claimed', '4');

      const last = await Promise.all([e, g, h].map((resident) => postClaim(api, f, resident.token)));
      expect(last.map((answer) => answer.status).sort()).toEqual([201, 409, 409]);
      await figure(page, 'remaining', '0');
      await figure(page, 'claimed', '5');
      await figure(page, 'sell-out', '已抢完');
      await figure(page, 'refused', '2');
      const soldOut = page.getByRole('row').filter({ hasText: 'SOLD_OUT' });
      await soldOut.filter({ hasText: '这一场的券已经领完了' }).waitFor();

      // The screen shows what the api answers.
      const admin = await staffToken(suite, 'admin');
      const answer = await call<MonitorAnswer>(suite, 'GET', `/campaigns/${f.campaignId}/monitor`, { token: admin });
      const round = answer.rounds.find((r) => r.roundId === f.roundId)!;
      expect(round).toMatchObject({
        claimed: 5,
        offers: [{ remaining: 0 }],
        refusals: [{ code: 'SOLD_OUT', count: 2 }],
      });
      expect(await soldOut.getByRole('cell').last().textContent()).toBe('2');
      await page
        .getByRole('img', { name: /近 5 分钟每秒领取与被拒/ })
        .locator('canvas')
        .first()
        .waitFor();

      expect(await seriousViolations(page)).toEqual([]);
      await screenshot(page, 'monitor');
    },
  );

  suite.test('the screen asks nothing while its tab is hidden, and resumes when shown', async ({ page }) => {
    const f = await fixture();
    await signIn(page, 'admin', `/console/monitor/${f.campaignId}`);
    await page.getByTestId('round-status').waitFor();
    let polls = 0;
    page.on('request', (request) => {
      if (request.url().includes(`/campaigns/${f.campaignId}/monitor`)) polls += 1;
    });
    const visibility = (state: 'hidden' | 'visible') =>
      page.evaluate(`Object.defineProperty(document, 'visibilityState', { value: '${state}', configurable: true });
        document.dispatchEvent(new Event('visibilitychange'))`);

    await page.waitForTimeout(4500);
    expect(polls).toBeGreaterThanOrEqual(2);
    await visibility('hidden');
    // A poll already sent when the tab was hidden may still land.
    await page.waitForTimeout(500);
    const hiddenAt = polls;
    await page.waitForTimeout(5000);
    expect(polls).toBe(hiddenAt);
    await visibility('visible');
    await page.waitForTimeout(4500);
    expect(polls).toBeGreaterThan(hiddenAt);
  });

  suite.test('an auditor picks a campaign from the list and watches its open round', async ({ page }) => {
    const admin = await staffToken(suite, 'admin');
    const campaigns = await call<{ items: { id: string; code: string; name: string }[] }>(
      suite,
      'GET',
      '/campaigns?limit=200',
      { token: admin },
    );
    const demo = campaigns.items.find((campaign) => campaign.code === PROVINCIAL_CAMPAIGN_CODE)!;
    await signIn(page, 'auditor', '/console/monitor/');
    await page.getByLabel('活动').fill(demo.code);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`/console/monitor/${demo.id}`));
    await page.getByTestId('round-status').filter({ hasText: '进行中' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
  });
});
