import { Logger } from '@nestjs/common';
import { loadConfigOrExit } from '@quan/config';
import { createDataSource, withScratchDatabase } from '@quan/data';
import { SettlementRun } from '@quan/settlement';
import { createRedemptionFixture } from '@quan/testing';
import { migrateDatabase } from './migrations';
import { runTool } from './run-tool';
import { ensureServices, say } from './services';

const MERCHANTS = 2_000;
const PER_MERCHANT = 500;
const DAY = '2026-11-26';

/**
 * `npm run bench:settle`: 1,000,000 redemptions of one business day across 2,000 merchants (1 in 50
 * reversed the same day), inserted set-based into a scratch database, then the day settled as the worker
 * does. Prints the outcome and a last line of JSON {redemptions, lines, seconds, linesPerSec}.
 */
runTool(async () => {
  const config = loadConfigOrExit();
  await ensureServices(config);
  Logger.overrideLogger(false);
  await withScratchDatabase(config, 'bench_settle', async (bench) => {
    await migrateDatabase(bench);
    const dataSource = createDataSource(bench);
    await dataSource.initialize();
    try {
      say(`seeding ${(MERCHANTS * PER_MERCHANT).toLocaleString()} redemptions across ${MERCHANTS.toLocaleString()} merchants on ${DAY}`);
      const seedStart = performance.now();
      await createRedemptionFixture(dataSource, { merchants: MERCHANTS, redemptionsPerMerchant: PER_MERCHANT, businessDay: DAY, reverseEvery: 50, outbox: false });
      await dataSource.query('ANALYZE');
      say(`seeded in ${((performance.now() - seedStart) / 1000).toFixed(1)} s; settling ${DAY} in chunks of ${bench.SETTLEMENT_MERCHANTS_PER_CHUNK} merchants`);

      const start = performance.now();
      const outcome = await new SettlementRun(dataSource, bench).settleDay(DAY);
      const seconds = (performance.now() - start) / 1000;
      const [check] = await dataSource.query(
        `SELECT (SELECT count(*)::int FROM redemptions) AS redemptions,
                (SELECT count(*)::int FROM redemptions WHERE reversed_at IS NULL) AS active,
                (SELECT count(*)::int FROM settlement_lines) AS lines,
                (SELECT sum(subsidy_fen)::text FROM redemptions WHERE reversed_at IS NULL) = (SELECT sum(total_fen)::text FROM settlement_statements) AS balanced`,
      );
      say(`${outcome.redemptionLines.toLocaleString()} lines in ${outcome.merchants.toLocaleString()} statements; one line per redemption not reversed: ${check.lines === check.active}; totals = subsidies: ${check.balanced}`);
      process.stdout.write(`${JSON.stringify({ redemptions: check.redemptions, lines: check.lines, seconds: Number(seconds.toFixed(2)), linesPerSec: Math.round(outcome.redemptionLines / seconds) })}\n`);
    } finally {
      await dataSource.destroy();
    }
  });
});
