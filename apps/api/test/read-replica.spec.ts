import { randomUUID } from 'node:crypto';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DataSource } from 'typeorm';
import { configWith } from '@quan/config';
import { StaffRole, SubjectKind } from '@quan/data';
import { businessDay } from '@quan/domain';
import { ReportsService } from '@quan/reports';
import { Reconciliation } from '@quan/settlement';
import { createTestApp, createTestEnvironment, TestEnvironment } from '@quan/testing';
import { AppModule } from '../src/app.module';

/**
 * DATABASE_READ_URL names a second database standing in for a replica that differs from the primary, so
 * what the reports and the reconciliation see tells which database they read.
 */
describe('reads from DATABASE_READ_URL', () => {
  let primaryEnv: TestEnvironment;
  let replicaEnv: TestEnvironment;
  let app: NestFastifyApplication;
  let primary: DataSource;
  let replica: DataSource;
  const campaignId = randomUUID();
  const today = businessDay(new Date());
  const city = {
    kind: SubjectKind.Staff as const,
    id: randomUUID(),
    role: StaffRole.CityAdmin,
    countyCode: null,
    merchantId: null,
  };

  beforeAll(async () => {
    primaryEnv = await createTestEnvironment();
    replicaEnv = await createTestEnvironment();
    const config = configWith(primaryEnv.config, { DATABASE_READ_URL: replicaEnv.config.DATABASE_URL });
    app = await createTestApp(AppModule.register(config), config);
    primary = app.get(DataSource);
    replica = await new DataSource({ type: 'postgres', url: replicaEnv.config.DATABASE_URL }).initialize();
    // Rows only the "replica" has; the primary has neither (no foreign keys checked for these stand-ins).
    await replica.transaction(async (manager) => {
      await manager.query(`SET LOCAL session_replication_role = replica`);
      await manager.query(
        `INSERT INTO report_area_days (campaign_id, business_day, county_code, category_code, redemptions, reversals,
                order_total_fen, discount_fen, subsidy_fen, last_event_at)
         VALUES ($1, $2, '610902', 'food', 7, 0, 7000, 700, 700, now())`,
        [campaignId, today],
      );
      await manager.query(
        `INSERT INTO campaign_spend (campaign_id, budget_fen, redeemed_subsidy_fen) VALUES ($1, 1000, 700)`,
        [campaignId],
      );
    });
  });

  afterAll(async () => {
    await app?.close();
    await replica?.destroy();
    await replicaEnv?.dispose();
    await primaryEnv?.dispose();
  });

  it('the reports read the replica', async () => {
    expect(await primary.query(`SELECT count(*)::int AS n FROM report_area_days`)).toEqual([{ n: 0 }]);
    const overview = await app.get(ReportsService).overview(city, {});
    expect(overview.daily.find((day) => day.businessDay === today)).toMatchObject({ redemptions: 7, subsidyFen: 700 });
  });

  it('the reconciliation checks the replica and writes its report to the primary', async () => {
    const report = await app.get(Reconciliation).run();
    expect(report.differences).toContainEqual({
      check: 'campaign_spend',
      subject: `campaign ${campaignId}`,
      expected: '0',
      actual: '700',
    });
    expect(await primary.query(`SELECT id FROM reconciliation_reports`)).toEqual([{ id: report.id }]);
    expect(await replica.query(`SELECT count(*)::int AS n FROM reconciliation_reports`)).toEqual([{ n: 0 }]);
  });
});
