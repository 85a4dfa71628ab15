import { Client } from 'pg';
import { LOTTERY_CAMPAIGN_CODE } from '@quan/demo';
import { consoleSuite, screenshot, seriousViolations, signIn } from './support';

/** The published data of the demo's lottery round (摇号), read-only in the campaign's page of the console. */
describe('the bureau console: a lottery round', () => {
  const suite = consoleSuite(__filename);

  suite.test("shows the round's commitment and registrations in the campaign's page", async ({ page }) => {
    const client = new Client({ connectionString: suite.env.config.DATABASE_URL });
    await client.connect();
    const [campaign] = (
      await client
        .query<{ id: string; name: string }>(`SELECT id, name FROM campaigns WHERE code = $1`, [LOTTERY_CAMPAIGN_CODE])
        .finally(() => client.end())
    ).rows;
    await signIn(page, 'auditor', `/console/campaigns/${campaign.id}`);
    const card = page.locator('.ant-card', { hasText: '摇号公示' });
    await card.getByText('quan-lottery v1').waitFor();
    const commitment = await card.locator('code').first().textContent();
    expect(commitment).toMatch(/^[0-9a-f]{64}$/);
    const published = (await (
      await fetch(`${suite.baseUrl}/api/v1/rounds/${await roundOf(campaign.id)}/lottery`)
    ).json()) as { commitment: string };
    expect(commitment).toBe(published.commitment);
    await card.getByText('未开奖').first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, 'campaign-lottery');
  });

  async function roundOf(campaignId: string): Promise<string> {
    const client = new Client({ connectionString: suite.env.config.DATABASE_URL });
    await client.connect();
    try {
      return (await client.query<{ id: string }>(`SELECT id FROM rounds WHERE campaign_id = $1`, [campaignId])).rows[0]
        .id;
    } finally {
      await client.end();
    }
  }
});
