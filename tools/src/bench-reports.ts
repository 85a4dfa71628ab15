import { loadavg } from 'node:os';
import { bankAccountColumns, FieldCipher } from '@quan/data';
import { DEMO_PASSWORD, seedDemoCity } from '@quan/demo';
import { businessDay, businessDayStart } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import { freePort } from '@quan/testing';
import { benchEnvironment, compiled, startServer } from './bench/environment';
import { load, LoadResult, resultTable } from './bench/load';
import { runTool } from './run-tool';
import { say } from './services';

const REDEMPTIONS = 1_000_000;
/** Merchants besides the demo city's, so that a merchant report ranks thousands. */
const EXTRA_MERCHANTS = 1_800;
const DAYS = 30;
const SECONDS = 5;
const CONNECTIONS = 4;
const TARGET_P99_MS = 200;

/**
 * `npm run bench:reports`: the demo city plus 1,800 merchants, and 1,000,000 redemptions of two campaigns
 * over the last 30 business days across every county and category (1 in 50 reversed), inserted set-based;
 * the compiled worker's first catch-up folds them into the aggregates (timed); then each report endpoint is loaded for
 * 5 s from 4 connections through the compiled api, with its filters varied per request. Prints a table,
 * the machine's load, and a last line of JSON with the p99 of each endpoint.
 */
runTool(async () => {
  const env = await benchEnvironment(`${REDEMPTIONS.toLocaleString()} redemptions over ${DAYS} business days`);
  const { config, dataSource } = env;
  try {
    await seedDemoCity(dataSource, config);
    const account = bankAccountColumns(FieldCipher.fromConfig(config), '6217000000000000000');
    await dataSource.query(
      `INSERT INTO merchants (name, licence_no, category_code, county_code, address, bank_name, bank_account_name,
                              bank_account_sealed, bank_account_masked, status)
       SELECT '压测商户' || n, '92' || lpad(n::text, 16, '0'), cat.codes[1 + n % array_length(cat.codes, 1)],
              co.codes[1 + (n / 7) % array_length(co.codes, 1)], '压测路' || n || '号', '安康农商银行', '压测商户' || n,
              $2, $3, 'approved'
         FROM generate_series(1, $1::int) AS n,
              (SELECT array_agg(code ORDER BY code) AS codes FROM categories) cat,
              (SELECT array_agg(code ORDER BY code) AS codes FROM counties) co`,
      [EXTRA_MERCHANTS, account.bankAccountSealed, account.bankAccountMasked],
    );
    const campaigns: { id: string }[] = await dataSource.query(
      `SELECT id FROM campaigns WHERE status IN ('published', 'running') ORDER BY code LIMIT 1`,
    );
    const [{ id: second }] = await dataSource.query(
      `INSERT INTO campaigns (code, name, budget_fen, status, starts_at, ends_at, created_by_id, approved_by_id,
                              version)
       SELECT 'BENCH-R', '压测消费券', 100000000000, 'running', now() - interval '40 days', now() + interval '20 days',
              a.id, b.id, 1
         FROM staff_accounts a, staff_accounts b WHERE a.username = 'admin' AND b.username = 'approver' RETURNING id`,
    );
    const campaignIds = [...campaigns.map((c) => c.id), second];
    // Both campaigns running, with budgets that half a million redemptions each fit in.
    await dataSource.query(
      `UPDATE campaigns SET status = 'running', budget_fen = 100000000000 WHERE id = ANY($1::uuid[])`,
      [campaignIds],
    );
    const today = businessDay(new Date());

    say(`inserting ${REDEMPTIONS.toLocaleString()} redemptions (1 in 50 reversed)`);
    const seedStart = performance.now();
    await dataSource.query(
      `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id,
                                order_amount_fen, discount_fen, subsidy_fen, merchant_funded_fen, business_day,
                                redeemed_at, idempotency_key, reversed_at, reversed_by_id, reversal_business_day)
       SELECT gen_random_uuid(), gen_random_uuid(), c.ids[1 + g % 2], gen_random_uuid(), gen_random_uuid(),
              m.ids[(1 + (g::bigint * 7919) % m.n)::int], gen_random_uuid(),
              5000 + (g % 97) * 300, 1000 + (g % 3) * 500, 800 + (g % 3) * 400, 200 + (g % 3) * 100, d.day,
              d.day::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '9 hours' + (g % 43200) * interval '1 second',
              'bench-' || g,
              CASE WHEN g % 50 = 0 THEN d.day::timestamp AT TIME ZONE 'Asia/Shanghai' + interval '22 hours' END,
              CASE WHEN g % 50 = 0 THEN gen_random_uuid() END, CASE WHEN g % 50 = 0 THEN d.day END
         FROM generate_series(1, $1::int) AS g
        CROSS JOIN (SELECT array_agg(id ORDER BY id) AS ids, count(*)::int AS n
                      FROM merchants WHERE status = 'approved') m
        CROSS JOIN (SELECT $2::uuid[] AS ids) c
        CROSS JOIN LATERAL (SELECT $3::date - (g % $4::int) AS day) d`,
      [REDEMPTIONS, campaignIds, today, DAYS],
    );
    await dataSource.query(
      `INSERT INTO campaign_spend (campaign_id, budget_fen, redeemed_subsidy_fen)
       SELECT r.campaign_id, c.budget_fen, sum(r.subsidy_fen)
         FROM redemptions r JOIN campaigns c ON c.id = r.campaign_id
        WHERE r.reversed_at IS NULL GROUP BY r.campaign_id, c.budget_fen
       ON CONFLICT (campaign_id) DO UPDATE SET redeemed_subsidy_fen = EXCLUDED.redeemed_subsidy_fen`,
    );
    const seedSeconds = (performance.now() - seedStart) / 1000;
    say(`inserted in ${seedSeconds.toFixed(1)} s; the worker folds them into the aggregates at its first catch-up`);
    const foldStart = performance.now();
    const workerPort = await freePort();
    await startServer(
      'worker',
      compiled('apps/worker/src/main.js'),
      {
        DATABASE_URL: config.DATABASE_URL,
        REDIS_URL: config.REDIS_URL,
        REDIS_KEY_PREFIX: config.REDIS_KEY_PREFIX,
        WORKER_PORT: String(workerPort),
        LOG_LEVEL: 'warn',
        NODE_ENV: 'test',
        JWT_SECRET: config.JWT_SECRET,
        PII_HASH_KEY: config.PII_HASH_KEY,
      },
      `http://127.0.0.1:${workerPort}/health/live`,
    );
    await waitUntil(
      'the worker folding the redemptions',
      async () =>
        (await dataSource.query(`SELECT 1 FROM report_watermarks WHERE name = 'redemptions' AND at > '-infinity'`))
          .length === 1,
      600000,
      200,
    );
    const foldSeconds = (performance.now() - foldStart) / 1000;
    await dataSource.query('ANALYZE');
    const [{ rows: aggregateRows }] = await dataSource.query(
      `SELECT count(*)::int AS rows FROM report_redemption_days`,
    );
    say(
      `folded in ${foldSeconds.toFixed(1)} s into ${aggregateRows.toLocaleString()} rows (campaign × day × merchant)`,
    );

    const api = await env.startApi();
    const login = async (username: string) => {
      const response = await fetch(`${api}/auth/staff/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password: DEMO_PASSWORD }),
      });
      return ((await response.json()) as { accessToken: string }).accessToken;
    };
    const city = await login('admin');
    const county = await login('hanbin-admin');
    const path = new URL(api).pathname;
    const ranges = [
      '',
      `&from=${businessDayBefore(today, 29)}&to=${today}`,
      `&campaignId=${second}`,
      `&from=${businessDayBefore(today, 6)}`,
    ];
    const endpoints: [label: string, query: (n: number) => string, token: string][] = [
      ['overview', (n) => `/reports/overview?${ranges[n % ranges.length].slice(1)}`, city],
      ['overview (county admin)', (n) => `/reports/overview?${ranges[n % ranges.length].slice(1)}`, county],
      ['leverage by day', (n) => `/reports/leverage?by=day${ranges[n % ranges.length]}`, city],
      ['leverage by county', (n) => `/reports/leverage?by=county${ranges[n % ranges.length]}`, city],
      ['leverage by category', (n) => `/reports/leverage?by=category${ranges[n % ranges.length]}`, city],
      ['leverage by merchant', (n) => `/reports/leverage?by=merchant&limit=50${ranges[n % ranges.length]}`, city],
      [
        'leverage by merchant (county)',
        (n) => `/reports/leverage?by=merchant&limit=200${ranges[n % ranges.length]}`,
        county,
      ],
      [
        'export csv by merchant',
        (n) => `/reports/leverage/export?format=csv&by=merchant&limit=200${ranges[n % ranges.length]}`,
        city,
      ],
      [
        'export xlsx by merchant',
        (n) => `/reports/leverage/export?format=xlsx&by=merchant&limit=200${ranges[n % ranges.length]}`,
        city,
      ],
    ];
    const results: [string, LoadResult][] = [];
    for (const [label, query, token] of endpoints) {
      let n = 0;
      say(`${label}: ${SECONDS} s, ${CONNECTIONS} connections`);
      const result = await load({
        url: `${api}${query(0)}`,
        method: 'GET',
        seconds: SECONDS,
        connections: CONNECTIONS,
        next: () => ({ path: `${path}${query(n++)}`, headers: { authorization: `Bearer ${token}` } }),
      });
      if (result.non2xx + result.errors > 0)
        throw new Error(`${label}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
      results.push([label, result]);
    }
    const p99Ms = Object.fromEntries(results.map(([label, r]) => [label, r.p99Ms]));
    const worst = Math.max(...results.map(([, r]) => r.p99Ms));
    const [one, five, fifteen] = loadavg().map((l) => l.toFixed(2));
    const summary = {
      redemptions: REDEMPTIONS,
      aggregateRows,
      foldSeconds: Number(foldSeconds.toFixed(1)),
      connections: CONNECTIONS,
      p99Ms,
      worstP99Ms: worst,
      loadAverage: [one, five, fifteen].map(Number),
    };
    process.stdout.write(`
${resultTable(results)}

  ${REDEMPTIONS.toLocaleString()} redemptions inserted in ${seedSeconds.toFixed(1)} s,
  folded in ${foldSeconds.toFixed(1)} s into ${aggregateRows.toLocaleString()} aggregate rows;
  worst p99 ${worst} ms (target ≤ ${TARGET_P99_MS} ms):
  ${worst <= TARGET_P99_MS ? 'met' : 'NOT met'}; load average ${one} ${five} ${fifteen}

${JSON.stringify(summary)}
`);
  } finally {
    await env.dispose();
  }
});

function businessDayBefore(day: string, days: number): string {
  return businessDay(new Date(businessDayStart(day).getTime() - days * 24 * 3600 * 1000));
}
