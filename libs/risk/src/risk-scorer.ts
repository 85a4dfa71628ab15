import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { BUSINESS_TIME_ZONE } from '@quan/domain';
import {
  CategoryBaseline,
  identityFarmSeverity,
  MerchantDayFigures,
  RiskRule,
  RuleFinding,
  RuleParameters,
  scoreMerchantDay,
  Severity,
} from './risk-rules';

/** A redemption or its reversal, as the outbox announces it. */
export interface RiskEvent {
  redemptionId: string;
  kind: 'redeemed' | 'reversed';
}

/**
 * What the fold counts (docs/risk.md): the band above a threshold is [threshold, threshold + 5 %) (满100 →
 * 100.00–104.99); "soon after the claim" is within 30 minutes; night is 00:00–06:00 Asia/Shanghai; windows
 * are five minutes. They shape the aggregates, so they are fixed; the rules' parameters are not.
 */
export const FOLD_DEFINITIONS = { bandBasisPoints: 500, quickMinutes: 30, nightEndHour: 6, windowMinutes: 5 };

const CATCH_UP_CHUNK = 10_000;
const SCORE_CHUNK = 2_000;
const FIRST_ID = '00000000-0000-0000-0000-000000000000';
const EVIDENCE_SAMPLE = 20;

const FIGURES = [
  'redemptions',
  'threshold_orders',
  'band_orders',
  'quick_redemptions',
  'night_redemptions',
  'reversals',
] as const;

/**
 * Folds the events given ($1 redemption ids, $2 kinds) into the risk aggregates in one statement. An event
 * not folded before is recorded in risk_folded_events (its primary key makes a replayed one add nothing);
 * a redemption adds to its merchant's day, its category's day and its five minutes; a reversal adds a
 * reversal; a redemption of a voucher reversed before at another merchant adds a rebound to that merchant's day.
 */
const FOLD = `
  WITH folded AS (
    INSERT INTO risk_folded_events (redemption_id, kind) SELECT * FROM unnest($1::uuid[], $2::text[])
    ON CONFLICT DO NOTHING
    RETURNING redemption_id, kind
  ), events AS (
    SELECT r.id, r.voucher_id, r.voucher_type_id, r.order_amount_fen, r.merchant_id, r.business_day, m.county_code,
           m.category_code, f.kind, r.redeemed_at
      FROM folded f JOIN redemptions r ON r.id = f.redemption_id JOIN merchants m ON m.id = r.merchant_id
     WHERE f.kind = 'redeemed' OR r.reversed_at IS NOT NULL
  ), moves AS (
    SELECT e.merchant_id, e.business_day, e.county_code, e.category_code,
           (e.kind = 'redeemed')::int AS redemptions,
           (e.kind = 'redeemed' AND t.threshold_fen > 0)::int AS threshold_orders,
           (e.kind = 'redeemed' AND t.threshold_fen > 0 AND e.order_amount_fen >= t.threshold_fen
              AND e.order_amount_fen * 10000 < t.threshold_fen * (10000 + ${FOLD_DEFINITIONS.bandBasisPoints}))::int AS band_orders,
           (e.kind = 'redeemed' AND v.claimed_at IS NOT NULL
              AND e.redeemed_at - v.claimed_at <= interval '${FOLD_DEFINITIONS.quickMinutes} minutes')::int AS quick_redemptions,
           (e.kind = 'redeemed'
              AND extract(hour FROM e.redeemed_at AT TIME ZONE '${BUSINESS_TIME_ZONE}') < ${FOLD_DEFINITIONS.nightEndHour})::int AS night_redemptions,
           (e.kind = 'reversed')::int AS reversals, 0 AS rebounds
      FROM events e LEFT JOIN voucher_types t ON t.id = e.voucher_type_id LEFT JOIN vouchers v ON v.id = e.voucher_id
    UNION ALL
    SELECT p.merchant_id, p.business_day, m.county_code, m.category_code, 0, 0, 0, 0, 0, 0, 1
      FROM events e JOIN redemptions p ON p.voucher_id = e.voucher_id AND p.id <> e.id
       AND p.reversed_at IS NOT NULL AND p.merchant_id <> e.merchant_id AND p.redeemed_at < e.redeemed_at
      JOIN merchants m ON m.id = p.merchant_id
     WHERE e.kind = 'redeemed'
  ), merchant_days AS (
    INSERT INTO risk_merchant_days AS d (merchant_id, business_day, county_code, category_code, ${FIGURES.join(', ')}, rebounds)
    SELECT merchant_id, business_day, min(county_code), min(category_code), ${FIGURES.map((f) => `sum(${f})`).join(', ')}, sum(rebounds)
      FROM moves GROUP BY merchant_id, business_day ORDER BY merchant_id, business_day
    ON CONFLICT (merchant_id, business_day) DO UPDATE SET
      ${[...FIGURES, 'rebounds'].map((f) => `${f} = d.${f} + EXCLUDED.${f}`).join(', ')}, changed_at = clock_timestamp()
  ), category_days AS (
    INSERT INTO risk_category_days AS c (category_code, business_day, ${FIGURES.join(', ')})
    SELECT category_code, business_day, ${FIGURES.map((f) => `sum(${f})`).join(', ')}
      FROM moves GROUP BY category_code, business_day ORDER BY category_code, business_day
    ON CONFLICT (category_code, business_day) DO UPDATE SET
      ${FIGURES.map((f) => `${f} = c.${f} + EXCLUDED.${f}`).join(', ')}
  )
  INSERT INTO risk_merchant_windows AS w (merchant_id, window_start, redemptions)
  SELECT merchant_id, date_bin(interval '${FOLD_DEFINITIONS.windowMinutes} minutes', redeemed_at, timestamptz '2000-01-01'), count(*)
    FROM events WHERE kind = 'redeemed' GROUP BY 1, 2 ORDER BY 1, 2
  ON CONFLICT (merchant_id, window_start) DO UPDATE SET redemptions = w.redemptions + EXCLUDED.redemptions`;

interface ScoreRow {
  merchant_id: string;
  business_day: string;
  county_code: string;
  /** As text: a Date would lose the microseconds, and the row would never look scored. */
  changed_at: string;
  m_redemptions: number;
  m_threshold_orders: number;
  m_band_orders: number;
  m_quick_redemptions: number;
  m_night_redemptions: number;
  m_reversals: number;
  m_rebounds: number;
  c_redemptions: number;
  c_threshold_orders: number;
  c_band_orders: number;
  c_quick_redemptions: number;
  c_night_redemptions: number;
  c_reversals: number;
  busiest_window: number;
  busiest_window_start: Date | null;
  usual_per_day: number;
}

/** The merchant-days changed since they were last scored, with their category's day and busiest five minutes. */
const CHANGED_MERCHANT_DAYS = `
  SELECT d.merchant_id, to_char(d.business_day, 'YYYY-MM-DD') AS business_day, d.county_code, d.changed_at::text,
         ${[...FIGURES, 'rebounds'].map((f) => `d.${f} AS m_${f}`).join(', ')},
         ${FIGURES.map((f) => `c.${f} - d.${f} AS c_${f}`).join(', ')},
         coalesce(w.redemptions, 0) AS busiest_window, w.window_start AS busiest_window_start,
         coalesce(h.per_day, 0)::float AS usual_per_day
    FROM risk_merchant_days d
    JOIN risk_category_days c ON c.category_code = d.category_code AND c.business_day = d.business_day
    LEFT JOIN LATERAL (
      SELECT window_start, redemptions FROM risk_merchant_windows
       WHERE merchant_id = d.merchant_id
         AND window_start >= d.business_day::timestamp AT TIME ZONE '${BUSINESS_TIME_ZONE}'
         AND window_start < (d.business_day + 1)::timestamp AT TIME ZONE '${BUSINESS_TIME_ZONE}'
       ORDER BY redemptions DESC, window_start LIMIT 1) w ON true
    LEFT JOIN LATERAL (
      SELECT avg(redemptions) AS per_day FROM risk_merchant_days
       WHERE merchant_id = d.merchant_id AND business_day >= d.business_day - 7 AND business_day < d.business_day) h ON true
   WHERE (d.scored_at IS NULL OR d.scored_at < d.changed_at) AND (d.merchant_id, d.business_day) > ($1, $2::date)
   ORDER BY d.merchant_id, d.business_day LIMIT $3`;

/** A flag as the scorer raises it: one per rule and subject, so scoring again updates rather than adds. */
interface RaisedFlag {
  rule: RiskRule;
  version: number;
  subjectKey: string;
  merchantId: string | null;
  countyCode: string | null;
  businessDay: string | null;
  severity: Severity;
  summary: string;
  evidence: Record<string, unknown>;
}

/**
 * Raises or updates flags in one statement. A flag still open takes the higher severity and the newer
 * evidence; a flag being cleared, cleared or confirmed is left as the people dealing with it left it.
 */
const UPSERT_FLAGS = `
  INSERT INTO risk_flags AS f (rule_code, rule_version, subject_key, merchant_id, county_code, business_day, severity,
                               summary, evidence)
  SELECT x.rule, x.version, x.subject_key, x.merchant_id, x.county_code, x.business_day, x.severity::risk_flag_severity,
         x.summary, x.evidence
    FROM jsonb_to_recordset($1::jsonb) AS x(rule text, version int, subject_key text, merchant_id uuid,
                                            county_code text, business_day date, severity text, summary text,
                                            evidence jsonb)
  ON CONFLICT (rule_code, subject_key) DO UPDATE SET
    severity = greatest(f.severity, EXCLUDED.severity), rule_version = EXCLUDED.rule_version,
    summary = CASE WHEN EXCLUDED.severity >= f.severity THEN EXCLUDED.summary ELSE f.summary END,
    evidence = CASE WHEN EXCLUDED.severity >= f.severity THEN EXCLUDED.evidence ELSE f.evidence END,
    updated_at = now()
  WHERE f.status = 'open'
  RETURNING id`;

export interface ScoreOutcome {
  merchantDays: number;
  flags: number;
}

/**
 * Risk scoring, in the worker. Redemptions and reversals arrive as outbox events (`fold`, from the
 * settlement queue, beside the reports' fold); `catchUp` folds what has no event (rows older than risk,
 * the demo seed, the bench). `score` then runs the rules over every merchant-day changed since it was last
 * scored, and over recent identity verifications, raising flags idempotently: scoring the same figures
 * again gives the same flags.
 */
@Injectable()
export class RiskScorer {
  constructor(private readonly dataSource: DataSource) {}

  async fold(events: RiskEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.dataSource.query(FOLD, [events.map((e) => e.redemptionId), events.map((e) => e.kind)]);
  }

  /**
   * Folds in every redemption and reversal not folded yet, by primary key in chunks; the first time only,
   * unless `force`. Past `budgetMs` it keeps its place and stops; the next call goes on.
   */
  async catchUp(force = false, budgetMs = Infinity): Promise<number> {
    const deadline = Date.now() + budgetMs;
    const [state]: { done: boolean; position: string | null }[] = await this.dataSource.query(
      `SELECT at > '-infinity' AS done, position FROM risk_watermarks WHERE name = 'redemptions'`,
    );
    if (state?.done && !force) return 0;
    let folded = 0;
    for (let after = (!force && state?.position) || FIRST_ID; ;) {
      const rows: { id: string; reversed: boolean }[] = await this.dataSource.query(
        `SELECT id, reversed_at IS NOT NULL AS reversed FROM redemptions WHERE id > $1 ORDER BY id LIMIT $2`,
        [after, CATCH_UP_CHUNK],
      );
      if (rows.length === 0) break;
      await this.fold(
        rows.flatMap((row): RiskEvent[] => [
          { redemptionId: row.id, kind: 'redeemed' },
          ...(row.reversed ? [{ redemptionId: row.id, kind: 'reversed' as const }] : []),
        ]),
      );
      folded += rows.length;
      after = rows[rows.length - 1].id;
      if (Date.now() > deadline) {
        await this.dataSource.query(
          `INSERT INTO risk_watermarks (name, at, position) VALUES ('redemptions', '-infinity', $1)
           ON CONFLICT (name) DO UPDATE SET position = $1`,
          [after],
        );
        return folded;
      }
    }
    await this.dataSource.query(
      `INSERT INTO risk_watermarks (name, at) VALUES ('redemptions', now())
       ON CONFLICT (name) DO UPDATE SET at = now(), position = NULL`,
    );
    return folded;
  }

  /** Whether the first catch-up is done (until then merchant-days are partial, and scoring waits). */
  async caughtUp(): Promise<boolean> {
    const [state]: { done: boolean }[] = await this.dataSource.query(
      `SELECT at > '-infinity' AS done FROM risk_watermarks WHERE name = 'redemptions'`,
    );
    return state?.done === true;
  }

  /** The current version and parameters of every rule. */
  async currentRules(): Promise<Record<RiskRule, { version: number; parameters: RuleParameters }>> {
    const rows: { code: RiskRule; version: number; parameters: RuleParameters }[] = await this.dataSource.query(
      `SELECT DISTINCT ON (code) code, version, parameters FROM risk_rules ORDER BY code, version DESC`,
    );
    return Object.fromEntries(
      rows.map((row) => [row.code, { version: row.version, parameters: row.parameters }]),
    ) as Record<RiskRule, { version: number; parameters: RuleParameters }>;
  }

  /** Scores every changed merchant-day and the recent verifications; past `budgetMs` it stops, to go on next time. */
  async score(budgetMs = Infinity): Promise<ScoreOutcome> {
    const deadline = Date.now() + budgetMs;
    const rules = await this.currentRules();
    const parameters = Object.fromEntries(
      Object.entries(rules).map(([code, rule]) => [code, rule.parameters]),
    ) as Record<RiskRule, RuleParameters>;
    const outcome: ScoreOutcome = { merchantDays: 0, flags: await this.scoreIdentities(rules[RiskRule.IdentityFarm]) };
    for (let after = [FIRST_ID, '0001-01-01']; Date.now() <= deadline;) {
      const rows: ScoreRow[] = await this.dataSource.query(CHANGED_MERCHANT_DAYS, [...after, SCORE_CHUNK]);
      if (rows.length === 0) break;
      const flags: RaisedFlag[] = [];
      for (const row of rows) {
        const figures = merchantFigures(row);
        const baseline = categoryBaseline(row);
        let findings = scoreMerchantDay(figures, baseline, parameters, null);
        // Collusion's screening passed: count how many of its residents redeemed nowhere else, then decide.
        if (findings.some((f) => f.rule === RiskRule.ClaimCollusion)) {
          findings = scoreMerchantDay(figures, baseline, parameters, await this.exclusiveShare(row));
        }
        for (const finding of findings) {
          flags.push({
            rule: finding.rule,
            version: rules[finding.rule].version,
            subjectKey: `merchant:${row.merchant_id}:${row.business_day}`,
            merchantId: row.merchant_id,
            countyCode: row.county_code,
            businessDay: row.business_day,
            severity: finding.severity,
            summary: finding.summary,
            evidence: {
              figures: finding.figures,
              busiestWindowStart: row.busiest_window_start,
              redemptionIds: await this.sample(finding, row),
            },
          });
        }
      }
      if (flags.length > 0) outcome.flags += await this.upsertFlags(flags);
      // Scored as of the change read: a fold that committed meanwhile changed the row later, so it stays to score.
      await this.dataSource.query(
        `UPDATE risk_merchant_days d SET scored_at = x.changed_at
           FROM unnest($1::uuid[], $2::date[], $3::timestamptz[]) AS x(merchant_id, business_day, changed_at)
          WHERE d.merchant_id = x.merchant_id AND d.business_day = x.business_day`,
        [rows.map((r) => r.merchant_id), rows.map((r) => r.business_day), rows.map((r) => r.changed_at)],
      );
      outcome.merchantDays += rows.length;
      after = [rows[rows.length - 1].merchant_id, rows[rows.length - 1].business_day];
      if (rows.length < SCORE_CHUNK) break;
    }
    return outcome;
  }

  /** Of the residents who redeemed here that day soon after claiming, the share with no redemption elsewhere. */
  private async exclusiveShare(row: ScoreRow): Promise<number | null> {
    const [result]: { residents: number; exclusive: number }[] = await this.dataSource.query(
      `WITH quick AS (
         SELECT DISTINCT r.resident_id FROM redemptions r JOIN vouchers v ON v.id = r.voucher_id
          WHERE r.merchant_id = $1 AND r.business_day = $2
            AND r.redeemed_at - v.claimed_at <= interval '${FOLD_DEFINITIONS.quickMinutes} minutes')
       SELECT count(*)::int AS residents,
              count(*) FILTER (WHERE NOT EXISTS (
                SELECT 1 FROM vouchers o JOIN redemptions x ON x.voucher_id = o.id
                 WHERE o.resident_id = q.resident_id AND x.merchant_id <> $1))::int AS exclusive
         FROM quick q`,
      [row.merchant_id, row.business_day],
    );
    return result.residents > 0 ? result.exclusive / result.residents : null;
  }

  /** Up to twenty of the redemptions the finding is about, as evidence. */
  private async sample(finding: RuleFinding, row: ScoreRow): Promise<string[]> {
    if (finding.rule === RiskRule.IdentityFarm) return [];
    const condition: Record<Exclude<RiskRule, RiskRule.IdentityFarm>, string> = {
      [RiskRule.ThresholdBand]: `t.threshold_fen > 0 AND r.order_amount_fen >= t.threshold_fen
        AND r.order_amount_fen * 10000 < t.threshold_fen * (10000 + ${FOLD_DEFINITIONS.bandBasisPoints})`,
      [RiskRule.Burst]: `r.redeemed_at >= $3::timestamptz AND r.redeemed_at < $3::timestamptz + interval '${FOLD_DEFINITIONS.windowMinutes} minutes'
        OR extract(hour FROM r.redeemed_at AT TIME ZONE '${BUSINESS_TIME_ZONE}') < ${FOLD_DEFINITIONS.nightEndHour}`,
      [RiskRule.ClaimCollusion]: `r.redeemed_at - v.claimed_at <= interval '${FOLD_DEFINITIONS.quickMinutes} minutes'`,
      [RiskRule.Reversals]: `r.reversed_at IS NOT NULL`,
    };
    const window = finding.rule === RiskRule.Burst ? [row.busiest_window_start] : [];
    const rows: { id: string }[] = await this.dataSource.query(
      `SELECT r.id FROM redemptions r LEFT JOIN voucher_types t ON t.id = r.voucher_type_id
         LEFT JOIN vouchers v ON v.id = r.voucher_id
        WHERE r.merchant_id = $1 AND r.business_day = $2
          AND (${condition[finding.rule]})
        ORDER BY r.redeemed_at LIMIT ${EVIDENCE_SAMPLE}`,
      [row.merchant_id, row.business_day, ...window],
    );
    return rows.map((r) => r.id);
  }

  /**
   * Rule 4 over the verifications of the last `windowMinutes`: identities verified from one device, or from
   * one address range (weak evidence on its own: many homes share a carrier's address, so at most low).
   */
  private async scoreIdentities(rule: { version: number; parameters: RuleParameters }): Promise<number> {
    const groups: { source: 'device' | 'address'; key: string; identities: number; ids: string[]; day: string }[] =
      await this.dataSource.query(
        `SELECT source, key, count(DISTINCT identity_id)::int AS identities,
                (array_agg(DISTINCT identity_id))[1:${EVIDENCE_SAMPLE}]::text[] AS ids,
                to_char(min(verified_at) AT TIME ZONE '${BUSINESS_TIME_ZONE}', 'YYYY-MM-DD') AS day
           FROM (SELECT 'device' AS source, device_hash::text AS key, identity_id, verified_at
                   FROM risk_verification_sources WHERE device_hash IS NOT NULL AND verified_at > now() - $1 * interval '1 minute'
                 UNION ALL
                 SELECT 'address', address_prefix, identity_id, verified_at
                   FROM risk_verification_sources WHERE address_prefix IS NOT NULL AND verified_at > now() - $1 * interval '1 minute') s
          GROUP BY source, key HAVING count(DISTINCT identity_id) >= least($2::int, $3::int)`,
        [rule.parameters.windowMinutes, rule.parameters.deviceIdentitiesMedium, rule.parameters.addressIdentitiesLow],
      );
    const flags = groups.flatMap((group): RaisedFlag[] => {
      const severity = identityFarmSeverity(group.source, group.identities, rule.parameters);
      if (!severity) return [];
      return [
        {
          rule: RiskRule.IdentityFarm,
          version: rule.version,
          subjectKey: `${group.source}:${group.key}:${group.day}`,
          merchantId: null,
          countyCode: null,
          businessDay: group.day,
          severity,
          summary: `${group.identities} identities verified from one ${group.source === 'device' ? 'device' : 'address range'} within ${rule.parameters.windowMinutes} minutes`,
          evidence: {
            figures: { identities: group.identities, windowMinutes: rule.parameters.windowMinutes },
            source: group.source,
            identityIds: group.ids,
          },
        },
      ];
    });
    return flags.length > 0 ? this.upsertFlags(flags) : 0;
  }

  private async upsertFlags(flags: RaisedFlag[]): Promise<number> {
    const rows: unknown[] = await this.dataSource.query(UPSERT_FLAGS, [
      JSON.stringify(
        flags.map((flag) => ({
          rule: flag.rule,
          version: flag.version,
          subject_key: flag.subjectKey,
          merchant_id: flag.merchantId,
          county_code: flag.countyCode,
          business_day: flag.businessDay,
          severity: flag.severity,
          summary: flag.summary,
          evidence: flag.evidence,
        })),
      ),
    ]);
    return rows.length;
  }
}

function merchantFigures(row: ScoreRow): MerchantDayFigures {
  return {
    redemptions: row.m_redemptions,
    thresholdOrders: row.m_threshold_orders,
    bandOrders: row.m_band_orders,
    quickRedemptions: row.m_quick_redemptions,
    nightRedemptions: row.m_night_redemptions,
    reversals: row.m_reversals,
    rebounds: row.m_rebounds,
    busiestWindowRedemptions: row.busiest_window,
    usualPerDay: row.usual_per_day,
  };
}

function categoryBaseline(row: ScoreRow): CategoryBaseline {
  return {
    redemptions: row.c_redemptions,
    thresholdOrders: row.c_threshold_orders,
    bandOrders: row.c_band_orders,
    quickRedemptions: row.c_quick_redemptions,
    nightRedemptions: row.c_night_redemptions,
    reversals: row.c_reversals,
  };
}
