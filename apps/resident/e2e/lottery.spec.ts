import { LOTTERY_CAMPAIGN_CODE } from '@quan/demo';
import { startCompiledService, StartedProcess } from '@quan/testing';
import { call, residentSuite, screenshot, seriousViolations, signedInPage, sql } from './support';

/**
 * A lottery round (摇号) in the resident H5: the demo's round, open for registration; the resident registers,
 * sees the receipt; after the compiled worker draws it, the outcome.
 */
describe('a lottery round in the resident H5', () => {
  const suite = residentSuite(__filename);
  let worker: StartedProcess | undefined;

  afterAll(async () => {
    if (worker && worker.child.exitCode === null && worker.child.signalCode === null) {
      worker.child.kill('SIGTERM');
      await worker.exited;
    }
  });

  it('registers, shows the receipt, and after the draw the outcome', async () => {
    const { page, tokens } = await signedInPage(suite);
    const [round] = await sql<{ id: string; campaign_name: string }>(
      suite,
      `SELECT r.id, c.name AS campaign_name FROM rounds r JOIN campaigns c ON c.id = r.campaign_id WHERE c.code = $1`,
      [LOTTERY_CAMPAIGN_CODE],
    );
    await page.goto('/h5/');
    const card = page.getByRole('region', { name: new RegExp(round.campaign_name) });
    await card.getByRole('button', { name: '报名摇号' }).click();
    await card.getByText('已报名，等待开奖').waitFor();
    const receipt = await call<{ entry: string; status: string }>(suite, 'GET', `/me/registrations/${round.id}`, {
      token: tokens.accessToken,
    });
    expect(receipt.status).toBe('registered');
    expect(await card.getByLabel('您的报名凭证（参与编号）').textContent()).toBe(receipt.entry.slice(0, 16));
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lottery-registered');

    // Registration closed an hour ago and the draw is due: the worker draws, the page shows the outcome.
    await sql(
      suite,
      `UPDATE rounds SET opens_at = now() - interval '3 hours', closes_at = now() - interval '1 hour', draw_at = now() - interval '1 hour' WHERE id = $1`,
      [round.id],
    );
    worker = await startCompiledService('apps/worker/src/main.js', 'WORKER_PORT', {
      DATABASE_URL: suite.env.config.DATABASE_URL,
      REDIS_KEY_PREFIX: suite.env.config.REDIS_KEY_PREFIX,
      CAMPAIGN_CLOCK_MS: '1000',
      CLAIM_UNCOMMITTED_AFTER_MS: '20000',
    });
    const deadline = Date.now() + 60_000;
    while (
      (await sql(suite, `SELECT 1 FROM lottery_draws WHERE round_id = $1 AND issued_at IS NOT NULL`, [round.id]))
        .length === 0
    ) {
      if (Date.now() > deadline) throw new Error('the draw did not happen');
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // One registrant and a stock of 500: the resident wins, and the receipt's page says so.
    await page.goto(`/h5/lottery/${round.id}`);
    await page.getByText('恭喜中签！券已放入券包').waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'lottery-won');
    const outcome = await call<{ status: string; issue: string }>(suite, 'GET', `/me/registrations/${round.id}`, {
      token: tokens.accessToken,
    });
    expect(outcome).toMatchObject({ status: 'won', issue: 'issued' });
  }, 120_000);
});
