import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { bankAccountColumns, FieldCipher } from '@quan/data';
import { seedDemoCity } from '@quan/demo';
import { businessDay, businessDayStart, timeOrderedUuid } from '@quan/domain';
import { waitUntil } from '@quan/platform';
import { freePort } from '@quan/testing';
import { benchEnvironment, compiled, startServer } from './bench/environment';
import { GeneratedRedemption, generateRedemptions, planMerchants, random, VOUCHER_TIERS } from './bench/risk-city';
import { runTool } from './run-tool';
import { say } from './services';

const HONEST = 2_000;
const REDEMPTIONS = 1_000_000;
const DAYS = 7;
const HONEST_RESIDENTS = 200_000;
const CHUNK = 10_000;
const HONEST_VERIFICATIONS = 20_000;
const NAT_RANGES = 300;
const FARM_DEVICES = 3;
const TARGETS = { recall: 0.9, honestHighRate: 0.01, throughput: 5_000, latencyMs: 60_000 };

type Row = Record<string, unknown[]>;

/**
 * `npm run bench:risk`: a synthetic city (tools/src/bench/risk-city.ts) of 2,000 honest merchants and 20
 * planted cash-out merchants, 1,000,000 redemptions over 7 business days, and 20,000 identity verifications
 * of the last hour behind 300 carrier address ranges with a planted identity farm. Inserted set-based; then
 * the compiled worker's risk job folds and scores them (timed: redemptions per second), and a burst planted
 * live at a merchant, with its outbox rows, goes through the relay, the settlement queue and the risk job
 * (timed: from its commit to the flag). Prints the planted cases with what caught them, and a last line of JSON.
 */
runTool(async () => {
  const env = await benchEnvironment(`${REDEMPTIONS.toLocaleString()} redemptions of a synthetic city`);
  const { config, dataSource } = env;
  try {
    await seedDemoCity(dataSource, config);
    const rnd = random(20261207);
    const categories: string[] = (await dataSource.query(`SELECT code FROM categories ORDER BY code`)).map(
      (c: { code: string }) => c.code,
    );
    const plans = planMerchants(HONEST, categories, rnd);
    const account = bankAccountColumns(FieldCipher.fromConfig(config), '6217000000000000000');
    const merchantIds: string[] = (
      await dataSource.query(
        `INSERT INTO merchants (name, licence_no, category_code, county_code, address, bank_name, bank_account_name,
                                bank_account_sealed, bank_account_masked, status)
         SELECT '风控压测商户' || n, '93' || lpad(n::text, 16, '0'), c.category, co.codes[1 + n % array_length(co.codes, 1)],
                '压测路' || n || '号', '安康农商银行', '压测商户' || n, $2, $3, 'approved'
           FROM unnest($1::text[]) WITH ORDINALITY AS c(category, n),
                (SELECT array_agg(code ORDER BY code) AS codes FROM counties) co
         RETURNING id, licence_no`,
        [plans.map((p) => p.category), account.bankAccountSealed, account.bankAccountMasked],
      )
    )
      .sort((a: { licence_no: string }, b: { licence_no: string }) => a.licence_no.localeCompare(b.licence_no))
      .map((m: { id: string }) => m.id);
    const [{ id: campaignId }] = await dataSource.query(`SELECT id FROM campaigns ORDER BY code LIMIT 1`);
    const typeIds: string[] = (
      await dataSource.query(
        `INSERT INTO voucher_types (campaign_id, name, kind, threshold_fen, discount_fen, validity_kind, valid_from, valid_until)
         SELECT $1, '满' || t || '减' || d, 'threshold', t * 100, d * 100, 'fixed_window', now() - interval '30 days', now() + interval '30 days'
           FROM unnest($2::int[], $3::int[]) WITH ORDINALITY AS x(t, d, n) ORDER BY n RETURNING id`,
        [campaignId, VOUCHER_TIERS.map(([t]) => t), VOUCHER_TIERS.map(([, d]) => d)],
      )
    ).map((t: { id: string }) => t.id);

    const today = businessDay(new Date());
    const dayStarts = Array.from({ length: DAYS }, (_, d) => businessDayStart(dayBefore(today, DAYS - d)));
    const honestResidents = Array.from({ length: HONEST_RESIDENTS }, () => randomUUID());
    const plantedResidents = new Map<number, string>();
    const residentOf = (r: GeneratedRedemption) => {
      if (r.resident < 0) return honestResidents[Math.floor(rnd() * HONEST_RESIDENTS)];
      let id = plantedResidents.get(r.resident);
      if (!id) plantedResidents.set(r.resident, (id = randomUUID()));
      return id;
    };

    say(`inserting ${REDEMPTIONS.toLocaleString()} redemptions and their vouchers (bulk load: no triggers or keys)`);
    const runner = dataSource.createQueryRunner();
    await runner.connect();
    await runner.query(`SET session_replication_role = replica`);
    const insertStart = performance.now();
    let inserted = 0;
    let redemptions: Row = {};
    let vouchers: Row = {};
    const flush = async () => {
      if (!redemptions.id?.length) return;
      await runner.query(
        `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, status, valid_from,
                               valid_until, claimed_at)
         SELECT id, gen_random_uuid(), $1, type_id, resident_id, short_code, status::voucher_status,
                now() - interval '30 days', now() + interval '30 days', claimed_at
           FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::timestamptz[])
                AS x(id, type_id, resident_id, short_code, status, claimed_at)`,
        [campaignId, ...['id', 'typeId', 'residentId', 'shortCode', 'status', 'claimedAt'].map((k) => vouchers[k])],
      );
      await runner.query(
        `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id,
                                  order_amount_fen, discount_fen, subsidy_fen, merchant_funded_fen, business_day,
                                  redeemed_at, idempotency_key, reversed_at, reversed_by_id, reversal_business_day)
         SELECT id, voucher_id, $1, type_id, resident_id, merchant_id, gen_random_uuid(), amount, discount, discount, 0,
                day, redeemed_at, 'bench-' || id, reversed_at, CASE WHEN reversed_at IS NOT NULL THEN gen_random_uuid() END,
                CASE WHEN reversed_at IS NOT NULL THEN day END
           FROM unnest($2::uuid[], $3::uuid[], $4::uuid[], $5::uuid[], $6::uuid[], $7::bigint[], $8::bigint[], $9::date[],
                       $10::timestamptz[], $11::timestamptz[])
                AS x(id, voucher_id, type_id, resident_id, merchant_id, amount, discount, day, redeemed_at, reversed_at)`,
        [
          campaignId,
          ...[
            'id',
            'voucherId',
            'typeId',
            'residentId',
            'merchantId',
            'amount',
            'discount',
            'day',
            'redeemedAt',
            'reversedAt',
          ].map((k) => redemptions[k]),
        ],
      );
      inserted += redemptions.id.length;
      redemptions = {};
      vouchers = {};
    };
    const push = (row: Row, values: Record<string, unknown>) => {
      for (const [key, value] of Object.entries(values)) (row[key] ??= []).push(value);
    };
    let shortCode = 0;
    const addRedemption = (
      r: GeneratedRedemption,
      merchantIndex: number,
      atMs: number,
      reversedAtMs: number | null,
      voucherId: string,
      newVoucher: boolean,
      residentId: string,
    ) => {
      const tier = Math.max(0, r.tier);
      if (newVoucher) {
        push(vouchers, {
          id: voucherId,
          typeId: typeIds[tier],
          residentId,
          shortCode: `B${(shortCode++).toString(36).padStart(9, '0')}`,
          status: reversedAtMs === null ? 'redeemed' : 'claimed',
          claimedAt: new Date(atMs - r.claimDelay * 1000).toISOString(),
        });
      }
      push(redemptions, {
        id: timeOrderedUuid(atMs),
        voucherId,
        typeId: typeIds[tier],
        residentId,
        merchantId: merchantIds[merchantIndex],
        amount: r.amountFen,
        discount: VOUCHER_TIERS[tier][1] * 100,
        day: dayBefore(today, DAYS - r.day),
        redeemedAt: new Date(atMs).toISOString(),
        reversedAt: reversedAtMs === null ? null : new Date(reversedAtMs).toISOString(),
      });
    };
    for (const r of generateRedemptions(plans, DAYS, REDEMPTIONS, rnd)) {
      if (inserted + (redemptions.id?.length ?? 0) >= REDEMPTIONS) break;
      const at = dayStarts[r.day].getTime() + r.second * 1000;
      // Ids ordered by time, as the claim and redemption paths make them.
      const voucherId = timeOrderedUuid(at - r.claimDelay * 1000);
      const residentId = residentOf(r);
      addRedemption(r, r.merchant, at, r.reversed ? at + 600_000 : null, voucherId, true, residentId);
      // A rebound: the same voucher, reversed here, redeemed at an accomplice within the hour.
      if (r.reboundAt !== null) addRedemption(r, r.reboundAt, at + 1_800_000, null, voucherId, false, residentId);
      if (redemptions.id.length >= CHUNK) await flush();
    }
    await flush();
    await runner.query(`SET session_replication_role = DEFAULT`);
    await runner.release();
    const insertSeconds = (performance.now() - insertStart) / 1000;
    say(`inserted ${inserted.toLocaleString()} redemptions in ${insertSeconds.toFixed(1)} s`);
    // After a bulk load the planner needs statistics, as autovacuum would give it in time.
    await dataSource.query('ANALYZE');

    // Identity verifications of the last hour: honest ones behind carrier address ranges (some families share a
    // phone), and a farm: a few devices verifying many identities in half an hour, from one address range.
    const farmDevices = Array.from({ length: FARM_DEVICES }, (_, i) => `farm-device-${i}-`.padEnd(64, '0'));
    const sources: { device: string; address: string; minutesAgo: number }[] = [];
    for (let i = 0; i < HONEST_VERIFICATIONS; i++) {
      const family = rnd() < 0.05 ? Math.floor(i / 3) : i;
      sources.push({
        device: `honest-${family}-`.padEnd(64, '0'),
        address: `10.${Math.floor(rnd() * NAT_RANGES) % 256}.${Math.floor((rnd() * NAT_RANGES) / 256)}.0/24`,
        minutesAgo: rnd() * 55,
      });
    }
    farmDevices.forEach((device, d) => {
      const identities = 8 + d * 6;
      for (let i = 0; i < identities; i++) sources.push({ device, address: '203.0.113.0/24', minutesAgo: rnd() * 30 });
    });
    await dataSource.query(
      `INSERT INTO risk_verification_sources (identity_id, resident_id, device_hash, address_prefix, verified_at)
       SELECT gen_random_uuid(), gen_random_uuid(), device, address, now() - minutes * interval '1 minute'
         FROM unnest($1::text[], $2::text[], $3::float8[]) AS x(device, address, minutes)`,
      [sources.map((s) => s.device), sources.map((s) => s.address), sources.map((s) => s.minutesAgo)],
    );

    // The compiled worker scores them: its risk job folds what has no outbox event, then scores what changed.
    // The reports' first catch-up is marked done, so that the figure is the risk job's alone.
    await dataSource.query(`INSERT INTO report_watermarks (name, at) VALUES ('redemptions', now())`);
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
    say('the worker folds and scores every redemption');
    const scoreStart = performance.now();
    await waitUntil(
      'the worker scoring the redemptions',
      async () => {
        const [state] = await dataSource.query(
          `SELECT (SELECT at > '-infinity' FROM risk_watermarks WHERE name = 'redemptions') AS folded,
                  EXISTS (SELECT 1 FROM risk_merchant_days WHERE scored_at IS NULL OR scored_at < changed_at) AS unscored`,
        );
        return state.folded === true && !state.unscored;
      },
      1_800_000,
      250,
    );
    const scoreSeconds = (performance.now() - scoreStart) / 1000;
    const [{ merchantDays }] = await dataSource.query(`SELECT count(*)::int AS "merchantDays" FROM risk_merchant_days`);
    const throughput = Math.round(inserted / scoreSeconds);

    // Live: a crowd of fresh residents at one honest merchant within one minute of a five-minute window, each
    // redemption with its outbox row as the redemption path writes it; the worker relays, folds and scores them.
    // Measured from the commit of the redemption that completes the pattern to the flag. The quietest honest
    // merchant, so that forty redemptions in a minute are far above its usual rate.
    const quietest = plans.filter((p) => !p.planted).sort((a, b) => a.perDay - b.perDay)[0];
    const liveMerchant = merchantIds[quietest.index];
    const liveIds = Array.from({ length: 40 }, () => randomUUID());
    await dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id,
                                  order_amount_fen, discount_fen, subsidy_fen, merchant_funded_fen, business_day,
                                  redeemed_at, idempotency_key)
         SELECT id, gen_random_uuid(), $2, $3, gen_random_uuid(), $4, gen_random_uuid(), 12000, 2000, 2000, 0, $5,
                date_bin(interval '5 minutes', now() - interval '1 minute', timestamptz '2000-01-01') + n * interval '1 second',
                'live-' || id
           FROM unnest($1::uuid[]) WITH ORDINALITY AS x(id, n)`,
        [liveIds, campaignId, typeIds[1], liveMerchant, today],
      );
      await manager.query(
        `INSERT INTO outbox (topic, payload)
         SELECT 'redemption.redeemed', jsonb_build_object('redemptionId', id, 'campaignId', $2::uuid, 'merchantId', $3::uuid,
                                                          'businessDay', $4::text, 'subsidyFen', 2000)
           FROM unnest($1::uuid[]) AS x(id)`,
        [liveIds, campaignId, liveMerchant, today],
      );
    });
    const liveStart = performance.now();
    await waitUntil(
      'the live burst flagged',
      async () =>
        (
          await dataSource.query(
            `SELECT 1 FROM risk_flags WHERE merchant_id = $1 AND rule_code = 'burst' AND business_day = $2`,
            [liveMerchant, today],
          )
        ).length === 1,
      120_000,
      100,
    );
    const flagLatencyMs = Math.round(performance.now() - liveStart);

    const flagged: { merchant_id: string; severity: string; rules: string[] }[] = await dataSource.query(
      `SELECT merchant_id, max(severity)::text AS severity, array_agg(DISTINCT rule_code || ':' || severity) AS rules
         FROM risk_flags WHERE merchant_id = ANY($1::uuid[]) AND business_day < $2 GROUP BY merchant_id`,
      [merchantIds, today],
    );
    const byMerchant = new Map(flagged.map((f) => [f.merchant_id, f]));
    const honestHigh = plans.filter((p) => !p.planted && byMerchant.get(merchantIds[p.index])?.severity === 'high');
    const honestMedium = plans.filter((p) => !p.planted && byMerchant.get(merchantIds[p.index])?.severity === 'medium');
    const cases = plans
      .filter((p) => p.planted)
      .map((p) => {
        const flag = byMerchant.get(merchantIds[p.index]);
        const caught = flag?.severity === 'high' || flag?.severity === 'medium';
        return {
          case: `${p.planted!.pattern} ${p.planted!.strength}`,
          category: p.category,
          perDay: Math.round(p.perDay * (REDEMPTIONS / DAYS / plans.reduce((s, q) => s + q.perDay, 0))),
          severity: flag?.severity ?? '-',
          rules: flag?.rules.join(' ') ?? '',
          caught,
        };
      });
    const farmFlags: { subject_key: string; severity: string }[] = await dataSource.query(
      `SELECT subject_key, severity::text FROM risk_flags WHERE rule_code = 'identity_farm'`,
    );
    const farmCaught = farmFlags.some(
      (f) => farmDevices.some((d) => f.subject_key.startsWith(`device:${d}`)) && f.severity !== 'low',
    );
    const honestDeviceFlags = farmFlags.filter((f) => f.subject_key.startsWith('device:honest')).length;
    const addressFlags = farmFlags.filter((f) => f.subject_key.startsWith('address:'));
    cases.push({
      case: `identity farm ${FARM_DEVICES} devices`,
      category: '-',
      perDay: 0,
      severity:
        farmFlags.find((f) => farmDevices.some((d) => f.subject_key.startsWith(`device:${d}`)))?.severity ?? '-',
      rules: 'identity_farm',
      caught: farmCaught,
    });
    const caughtCount = cases.filter((c) => c.caught).length;
    const recall = caughtCount / cases.length;
    const honestHighRate = honestHigh.length / HONEST;
    const missed = cases.filter((c) => !c.caught).map((c) => c.case);
    const [one, five, fifteen] = loadavg().map((l) => Number(l.toFixed(2)));

    const table = [
      '  planted case              category     /day  severity  rules',
      ...cases.map(
        (c) =>
          `  ${c.case.padEnd(26)}${c.category.padEnd(13)}${String(c.perDay).padStart(5)}  ${c.severity.padEnd(8)}  ${c.caught ? '' : 'MISSED '}${c.rules}`,
      ),
    ].join('\n');
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    process.stdout.write(`
${table}

  recall ${caughtCount}/${cases.length} (${(recall * 100).toFixed(1)} %, target ≥ 90 %: ${met(recall >= TARGETS.recall)})
  honest merchants flagged high ${honestHigh.length}/${HONEST} (${(honestHighRate * 100).toFixed(2)} %, target ≤ 1 %: ${met(honestHighRate <= TARGETS.honestHighRate)}); medium ${honestMedium.length}
  identity sources: ${honestDeviceFlags} honest devices flagged; ${addressFlags.length} carrier address ranges flagged (low at most: ${addressFlags.every((f) => f.severity === 'low')})
  scoring: ${inserted.toLocaleString()} redemptions folded and ${merchantDays.toLocaleString()} merchant-days scored by the worker in ${scoreSeconds.toFixed(1)} s: ${throughput.toLocaleString()} redemptions/s (target ≥ 5,000: ${met(throughput >= TARGETS.throughput)})
  flag latency: ${flagLatencyMs} ms from the commit to the flag, through the outbox relay, the settlement queue and the risk job (target ≤ 60 s: ${met(flagLatencyMs <= TARGETS.latencyMs)})
  missed: ${missed.length ? missed.join(', ') : 'none'}; load average ${one} ${five} ${fifteen}

${JSON.stringify({
  redemptions: inserted,
  honestMerchants: HONEST,
  plantedCases: cases.length,
  recall: Number(recall.toFixed(3)),
  honestHighRate: Number(honestHighRate.toFixed(4)),
  honestMediumRate: Number((honestMedium.length / HONEST).toFixed(4)),
  throughputPerSecond: throughput,
  scoreSeconds: Number(scoreSeconds.toFixed(1)),
  flagLatencyMs,
  missed,
  loadAverage: [one, five, fifteen],
})}
`);
  } finally {
    await env.dispose();
  }
});

function dayBefore(day: string, days: number): string {
  return businessDay(new Date(businessDayStart(day).getTime() + 12 * 3600 * 1000 - days * 24 * 3600 * 1000));
}
