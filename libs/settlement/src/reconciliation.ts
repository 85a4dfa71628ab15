import { Inject, Injectable, Logger } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { CampaignCounters, CountProbe } from '@quan/counters';
import { CampaignStatus, READ_DATA_SOURCE, ReconciliationDifference, ReconciliationReport } from '@quan/data';
import { DomainError, ErrorCode } from '@quan/domain';

type Row = Record<string, string>;

/**
 * Checks the books against each other and stores a report: Redis round counters against the issued counts
 * in Postgres, and Redis budget counters against the campaigns' spend; each redemption's subsidy against its settlement line (and the totals: redeemed = settled +
 * unsettled − adjustments still due); statements against their lines; each payout transfer against the
 * approved statements it pays (amount and status); each claim's resident and identity, and each voucher's
 * resident against its claim's; vouchers redeemed at most once and
 * in the state their redemptions say; campaign spend against the subsidies of active redemptions; the budget
 * ledger against expired vouchers (one entry each) with no rollover account overdrawn, and each subsidy withheld
 * by a confirmed risk flag against its statement (never approved, the same amount). Every
 * difference is logged at error level. Read-only apart from the report, so it can run at any time. The
 * checks read from DATABASE_READ_URL (a replica) when one is set; the report is written to the primary.
 */
@Injectable()
export class Reconciliation {
  private readonly logger = new Logger(Reconciliation.name);

  constructor(
    private readonly primary: DataSource,
    @Inject(READ_DATA_SOURCE) private readonly dataSource: DataSource,
    private readonly counters: CampaignCounters,
  ) {}

  async run(): Promise<ReconciliationReport> {
    const differences: ReconciliationDifference[] = [];
    const add = (check: string, rows: Row[]) =>
      differences.push(
        ...rows.map((row) => ({ check, subject: row.subject, expected: row.expected, actual: row.actual })),
      );

    add('round_counters', await this.roundCounters());
    add('budget_counters', await this.budgetCounters());
    add(
      'redemption_lines',
      await this.dataSource.query(
        `SELECT 'redemption ' || r.id AS subject, r.subsidy_fen::text AS expected, l.amount_fen::text AS actual
         FROM settlement_lines l JOIN redemptions r ON r.id = l.redemption_id
        WHERE (l.kind = 'redemption' AND l.amount_fen <> r.subsidy_fen)
           OR (l.kind = 'adjustment' AND (l.amount_fen <> -r.subsidy_fen OR r.reversed_at IS NULL))`,
      ),
    );
    add(
      'statement_totals',
      await this.dataSource.query(
        `SELECT 'statement ' || s.id AS subject, coalesce(sum(l.amount_fen), 0)::text AS expected, s.total_fen::text AS actual
         FROM settlement_statements s LEFT JOIN settlement_lines l ON l.statement_id = s.id
        GROUP BY s.id HAVING coalesce(sum(l.amount_fen), 0) <> s.total_fen`,
      ),
    );
    add(
      'payout_transfers',
      await this.dataSource.query(
        `SELECT 'transfer ' || t.id AS subject,
              t.amount_fen || ' fen of approved statements of its merchant, every item ' || t.status AS expected,
              coalesce(sum(i.amount_fen), 0) || ' fen in ' || count(i.statement_id) || ' items, ' || (count(i.statement_id) - count(s.id))
                || ' not matching their statement, ' || count(*) FILTER (WHERE i.status <> t.status) || ' in another status' AS actual
         FROM payout_transfers t LEFT JOIN payout_items i ON i.transfer_id = t.id
         LEFT JOIN settlement_statements s ON s.id = i.statement_id AND s.status = 'approved' AND s.merchant_id = t.merchant_id AND s.total_fen = i.amount_fen
        GROUP BY t.id
       HAVING count(i.statement_id) = 0 OR t.amount_fen <> sum(i.amount_fen) OR count(s.id) <> count(i.statement_id)
           OR count(*) FILTER (WHERE i.status <> t.status) > 0`,
      ),
    );
    add(
      'voucher_redeemed_once',
      await this.dataSource.query(
        `SELECT 'voucher ' || v.id AS subject,
              CASE WHEN v.status = 'redeemed' THEN '1 active redemption' ELSE '0 active redemptions' END AS expected,
              count(r.id) || ' active redemptions (' || v.status || ')' AS actual
         FROM vouchers v LEFT JOIN redemptions r ON r.voucher_id = v.id AND r.reversed_at IS NULL
        WHERE v.status = 'redeemed' OR r.id IS NOT NULL
        GROUP BY v.id, v.status HAVING count(r.id) <> (CASE WHEN v.status = 'redeemed' THEN 1 ELSE 0 END)`,
      ),
    );
    // What the foreign keys to residents and identities guarded before the claim path dropped them.
    add(
      'claim_owners',
      await this.dataSource.query(
        `SELECT 'claim ' || c.id AS subject, 'its resident and identity' AS expected,
              concat_ws(', ', CASE WHEN r.id IS NULL THEN 'no resident ' || c.resident_id END,
                              CASE WHEN i.id IS NULL THEN 'no identity ' || c.identity_id END) AS actual
         FROM claims c LEFT JOIN residents r ON r.id = c.resident_id LEFT JOIN identities i ON i.id = c.identity_id
        WHERE r.id IS NULL OR i.id IS NULL
       UNION ALL
       SELECT 'voucher ' || v.id, 'resident ' || c.resident_id || ', as its claim', 'resident ' || v.resident_id
         FROM vouchers v JOIN claims c ON c.id = v.claim_id
        WHERE v.resident_id <> c.resident_id`,
      ),
    );
    add(
      'campaign_spend',
      await this.dataSource.query(
        `SELECT 'campaign ' || coalesce(s.campaign_id, r.campaign_id) AS subject, coalesce(r.subsidy, 0)::text AS expected,
              coalesce(s.redeemed_subsidy_fen, 0)::text AS actual
         FROM campaign_spend s
         FULL JOIN (SELECT campaign_id, sum(subsidy_fen) AS subsidy FROM redemptions WHERE reversed_at IS NULL GROUP BY campaign_id) r
           ON r.campaign_id = s.campaign_id
        WHERE coalesce(r.subsidy, 0) <> coalesce(s.redeemed_subsidy_fen, 0)`,
      ),
    );
    add(
      'budget_ledger',
      await this.dataSource.query(
        `SELECT 'voucher ' || coalesce(v.id, substring(l.entry_key FROM 8)::uuid) AS subject, 'expired with one ledger entry' AS expected,
              coalesce(v.status::text, 'no voucher') || ' with ' || count(l.id) || ' ledger entries' AS actual
         FROM (SELECT id, status FROM vouchers WHERE status = 'expired') v
         FULL JOIN (SELECT id, entry_key FROM budget_ledger WHERE entry_key LIKE 'expire:%') l ON l.entry_key = 'expire:' || v.id
        GROUP BY 1, v.status HAVING count(l.id) <> 1 OR v.status IS NULL
       UNION ALL
       SELECT 'account ' || account, '≥ 0', sum(amount)::text
         FROM (SELECT to_account AS account, amount_fen AS amount FROM budget_ledger WHERE to_account LIKE 'rollover:%'
               UNION ALL SELECT from_account, -amount_fen FROM budget_ledger WHERE from_account LIKE 'rollover:%') AS moves
        GROUP BY account HAVING sum(amount) < 0`,
      ),
    );
    // Subsidy a confirmed risk flag recorded as not payable: its statement never approved, the amount its lines'.
    add(
      'withheld_statements',
      await this.dataSource.query(
        `SELECT 'ledger entry ' || b.entry_key AS subject,
              'a statement not approved with ' || b.amount_fen || ' fen of the campaign' AS expected,
              coalesce(s.status::text, 'no statement') || ' with ' || coalesce(sum(l.amount_fen), 0) || ' fen' AS actual
         FROM budget_ledger b
         LEFT JOIN settlement_statements s ON s.id = split_part(b.entry_key, ':', 2)::uuid
         LEFT JOIN (settlement_lines l JOIN redemptions r ON r.id = l.redemption_id)
           ON l.statement_id = s.id AND r.campaign_id = b.campaign_id
        WHERE b.entry_key LIKE 'withhold:%'
        GROUP BY b.id, b.entry_key, b.amount_fen, s.status
       HAVING s.status IS NULL OR s.status = 'approved' OR coalesce(sum(l.amount_fen), 0) <> b.amount_fen`,
      ),
    );
    const [figures]: Row[] = await this.dataSource.query(
      `SELECT (SELECT coalesce(sum(subsidy_fen), 0) FROM redemptions WHERE reversed_at IS NULL)::text AS "redeemedFen",
              (SELECT coalesce(sum(amount_fen), 0) FROM settlement_lines)::text AS "settledFen",
              (SELECT coalesce(sum(r.subsidy_fen), 0) FROM redemptions r WHERE r.reversed_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id AND l.kind = 'redemption'))::text AS "unsettledFen",
              (SELECT coalesce(sum(r.subsidy_fen), 0) FROM redemptions r WHERE r.reversed_at IS NOT NULL
                  AND EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id AND l.kind = 'redemption')
                  AND NOT EXISTS (SELECT 1 FROM settlement_lines l WHERE l.redemption_id = r.id AND l.kind = 'adjustment'))::text AS "adjustmentsDueFen"`,
    );
    const accounted = BigInt(figures.settledFen) + BigInt(figures.unsettledFen) - BigInt(figures.adjustmentsDueFen);
    if (accounted !== BigInt(figures.redeemedFen)) {
      differences.push({
        check: 'subsidy_totals',
        subject: 'all redemptions',
        expected: figures.redeemedFen,
        actual: `settled + unsettled − adjustments due = ${accounted}`,
      });
    }

    const report = await this.primary
      .getRepository(ReconciliationReport)
      .save({ ok: differences.length === 0, figures, differences });
    for (const difference of differences)
      this.logger.error({ reportId: report.id, ...difference }, 'reconciliation difference');
    if (report.ok) this.logger.log({ reportId: report.id, ...figures }, 'reconciliation found no difference');
    return report;
  }

  async latest(): Promise<ReconciliationReport> {
    const [report] = await this.primary.getRepository(ReconciliationReport).find({ order: { id: 'DESC' }, take: 1 });
    if (!report) throw new DomainError(ErrorCode.ReconciliationNotRun, 'No reconciliation has run yet');
    return report;
  }

  /** Subsidy used of each campaign's budget in Redis against campaign_spend, for campaigns whose budget counter is built. */
  private async budgetCounters(): Promise<Row[]> {
    const spends: { campaign_id: string; spent: string }[] = await this.dataSource.query(
      `SELECT campaign_id, redeemed_subsidy_fen::text AS spent FROM campaign_spend`,
    );
    return this.againstRedis(
      spends.map((spend) => ({
        probe: { count: 'budget-used', campaignId: spend.campaign_id },
        expected: Number(spend.spent),
        subject: `campaign ${spend.campaign_id} budget`,
      })),
    );
  }

  /** Issued per offer in Redis against round_offers.issued, for rounds whose counters are built. */
  private async roundCounters(): Promise<Row[]> {
    const offers: { campaign_id: string; round_id: string; offer_id: string; issued: number }[] =
      await this.dataSource.query(
        `SELECT r.campaign_id, r.id AS round_id, o.id AS offer_id, o.issued
         FROM round_offers o JOIN rounds r ON r.id = o.round_id JOIN campaigns c ON c.id = r.campaign_id
        WHERE c.status IN ($1, $2, $3)`,
        [CampaignStatus.Published, CampaignStatus.Running, CampaignStatus.Ended],
      );
    return this.againstRedis(
      offers.map((offer) => ({
        probe: { count: 'issued', campaignId: offer.campaign_id, roundId: offer.round_id, offerId: offer.offer_id },
        expected: offer.issued,
        subject: `round ${offer.round_id} offer ${offer.offer_id}`,
      })),
    );
  }

  /** Each count against Redis's. Counters not built (never prepared, or fenced after a Redis restart until rebuilt) are not compared. */
  private async againstRedis(counts: { probe: CountProbe; expected: number; subject: string }[]): Promise<Row[]> {
    const actuals = await this.counters.builtCounts(counts.map((count) => count.probe));
    return counts.flatMap((count, index) => {
      const actual = actuals[index];
      if (actual === null || actual === count.expected) return [];
      return [{ subject: count.subject, expected: String(count.expected), actual: String(actual) }];
    });
  }
}
