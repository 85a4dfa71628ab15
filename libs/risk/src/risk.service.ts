import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { StaffRole } from '@quan/data';
import { BUSINESS_TIME_ZONE, DomainError, ErrorCode, fen } from '@quan/domain';
import { changeAudited, recordAudit } from '@quan/platform';
import { invalidParameters, RiskRule } from './risk-rules';
import {
  ConfirmFlagDto,
  MerchantRiskSummaryDto,
  RiskFlagDetailDto,
  RiskFlagDto,
  RiskFlagPageDto,
  RiskFlagQueryDto,
  RiskFlagStatus,
  RiskRuleChangeDto,
  RiskRuleDto,
} from './risk.dto';

interface FlagRow {
  id: string;
  rule_code: RiskRule;
  rule_version: number;
  severity: RiskFlagDto['severity'];
  status: RiskFlagStatus;
  merchant_id: string | null;
  merchant_name: string | null;
  county_code: string | null;
  business_day: string | null;
  summary: string;
  evidence: Record<string, unknown>;
  raised_at: Date;
  updated_at: Date;
  proposed_by_id: string | null;
  proposed_reason: string | null;
  decided_by_id: string | null;
  decided_reason: string | null;
  decided_at: Date | null;
  merchant_suspended: boolean;
}

const SELECT_FLAGS = `
  SELECT f.id, f.rule_code, f.rule_version, f.severity, f.status, f.merchant_id, m.name AS merchant_name, f.county_code,
         to_char(f.business_day, 'YYYY-MM-DD') AS business_day, f.summary, f.evidence, f.raised_at, f.updated_at,
         f.proposed_by_id, f.proposed_reason, f.decided_by_id, f.decided_reason, f.decided_at, f.merchant_suspended
    FROM risk_flags f LEFT JOIN merchants m ON m.id = f.merchant_id`;

const toDto = (row: FlagRow): RiskFlagDto => ({
  id: row.id,
  rule: row.rule_code,
  ruleVersion: row.rule_version,
  severity: row.severity,
  status: row.status,
  merchantId: row.merchant_id,
  merchantName: row.merchant_name,
  countyCode: row.county_code,
  businessDay: row.business_day,
  summary: row.summary,
  raisedAt: row.raised_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
  proposedById: row.proposed_by_id,
  proposedReason: row.proposed_reason,
  decidedById: row.decided_by_id,
  decidedReason: row.decided_reason,
  decidedAt: row.decided_at?.toISOString() ?? null,
  merchantSuspended: row.merchant_suspended,
});

/** The county a caller is limited to: a county admin's own, null for roles that read the whole city. */
const countyOf = (principal: StaffPrincipal) =>
  principal.role === StaffRole.CountyAdmin ? principal.countyCode : null;

/** Statuses whose high-severity flag holds the merchant's statements (settlement reads the same condition). */
export const HOLDING_STATUSES = [RiskFlagStatus.Open, RiskFlagStatus.Clearing, RiskFlagStatus.Confirmed];

/**
 * Flags for the bureau: city admins, finance and auditors read every flag, a county admin their county's
 * (a flag of no merchant, an identity farm, is the city's). Clearing is maker-checker: one operator proposes,
 * another confirms; confirming cash-out can suspend the merchant and records the subsidy of its statements
 * not yet approved as not payable in the budget ledger. Every change is audited.
 */
@Injectable()
export class RiskService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: StaffPrincipal, query: RiskFlagQueryDto): Promise<RiskFlagPageDto> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    const county = countyOf(principal);
    if (county) where('f.county_code = ?', county);
    if (query.countyCode) where('f.county_code = ?', query.countyCode);
    if (query.status) where('f.status = ?', query.status);
    if (query.severity) where('f.severity = ?', query.severity);
    if (query.rule) where('f.rule_code = ?', query.rule);
    if (query.merchantId) where('f.merchant_id = ?', query.merchantId);
    if (query.from) where('f.business_day >= ?::date', query.from);
    if (query.to) where('f.business_day <= ?::date', query.to);
    const filter = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM risk_flags f ${filter}`,
      parameters,
    );
    const rows: FlagRow[] = await this.dataSource.query(
      `${SELECT_FLAGS} ${filter}
       ORDER BY (f.status IN ('open', 'clearing')) DESC, f.severity DESC, f.raised_at DESC, f.id
       LIMIT $${parameters.length + 1} OFFSET $${parameters.length + 2}`,
      [...parameters, query.limit, query.offset],
    );
    return { items: rows.map(toDto), total, limit: query.limit, offset: query.offset };
  }

  async get(principal: StaffPrincipal, id: string): Promise<RiskFlagDetailDto> {
    const row = await this.find(this.dataSource.manager, principal, id);
    return { ...toDto(row), evidence: row.evidence };
  }

  /** The maker: proposes to clear an open flag, with a reason. */
  proposeClear(principal: StaffPrincipal, id: string, reason: string): Promise<RiskFlagDetailDto> {
    return this.transition(principal, id, 'risk.flag.propose_clear', async (manager, before) => {
      if (before.status !== RiskFlagStatus.Open) {
        throw new DomainError(ErrorCode.RiskFlagInvalidTransition, 'Only an open flag can be proposed for clearing', {
          flagStatus: before.status,
        });
      }
      await manager.query(
        `UPDATE risk_flags SET status = 'clearing', proposed_by_id = $2, proposed_reason = $3, proposed_at = now(),
                updated_at = now() WHERE id = $1`,
        [id, principal.id, reason],
      );
    });
  }

  /** The checker: another operator confirms the proposal; the flag no longer holds the merchant's statements. */
  clear(principal: StaffPrincipal, id: string, reason: string): Promise<RiskFlagDetailDto> {
    return this.transition(principal, id, 'risk.flag.clear', async (manager, before) => {
      if (before.status !== RiskFlagStatus.Clearing) {
        throw new DomainError(ErrorCode.RiskFlagInvalidTransition, 'Only a flag proposed for clearing can be cleared', {
          flagStatus: before.status,
        });
      }
      if (before.proposed_by_id === principal.id) {
        throw new DomainError(ErrorCode.ApproverIsMaker, 'The operator who proposed clearing a flag cannot confirm it');
      }
      await manager.query(
        `UPDATE risk_flags SET status = 'cleared', decided_by_id = $2, decided_reason = $3, decided_at = now(),
                updated_at = now() WHERE id = $1`,
        [id, principal.id, reason],
      );
    });
  }

  /**
   * Confirms the flag (the abuse is real). For a merchant, the subsidy of its statements not yet approved is
   * recorded as not payable (one budget ledger entry per statement and campaign, from the merchant's payable
   * account to the flag's withheld account); a confirmed high-severity flag keeps holding its statements.
   * With `suspendMerchant`, an approved merchant is suspended too.
   */
  confirm(principal: StaffPrincipal, id: string, body: ConfirmFlagDto): Promise<RiskFlagDetailDto> {
    return this.transition(principal, id, 'risk.flag.confirm', async (manager, before) => {
      if (before.status !== RiskFlagStatus.Open && before.status !== RiskFlagStatus.Clearing) {
        throw new DomainError(ErrorCode.RiskFlagInvalidTransition, 'Only an open flag can be confirmed', {
          flagStatus: before.status,
        });
      }
      let suspended = false;
      if (before.merchant_id) {
        await manager.query(
          `INSERT INTO budget_ledger (campaign_id, entry_key, from_account, to_account, amount_fen)
           SELECT r.campaign_id, 'withhold:' || s.id || ':' || r.campaign_id, 'payable:merchant:' || s.merchant_id,
                  'withheld:risk-flag:' || $2, sum(l.amount_fen)
             FROM settlement_statements s JOIN settlement_lines l ON l.statement_id = s.id
             JOIN redemptions r ON r.id = l.redemption_id
            WHERE s.merchant_id = $1 AND s.status IN ('open', 'submitted')
            GROUP BY s.id, s.merchant_id, r.campaign_id HAVING sum(l.amount_fen) > 0
           ON CONFLICT (entry_key) DO NOTHING`,
          [before.merchant_id, id],
        );
        if (body.suspendMerchant) {
          const changed: { id: string }[] = await manager.query(
            `UPDATE merchants SET status = 'suspended', status_reason = $2, updated_at = now()
              WHERE id = $1 AND status = 'approved' RETURNING id`,
            [before.merchant_id, `风险预警确认：${body.reason}`],
          );
          suspended = changed.length > 0;
          if (suspended) {
            await recordAudit(manager, principal, {
              action: 'merchant.suspend',
              entityType: 'merchant',
              entityId: before.merchant_id,
              before: { status: 'approved' },
              after: { status: 'suspended', riskFlagId: id },
            });
          }
        }
      }
      await manager.query(
        `UPDATE risk_flags SET status = 'confirmed', decided_by_id = $2, decided_reason = $3, decided_at = now(),
                merchant_suspended = $4, updated_at = now() WHERE id = $1`,
        [id, principal.id, body.reason, suspended],
      );
    });
  }

  async merchantSummary(principal: StaffPrincipal, merchantId: string): Promise<MerchantRiskSummaryDto> {
    const county = countyOf(principal);
    const [merchant]: { id: string; name: string; category_code: string; county_code: string }[] =
      await this.dataSource.query(
        `SELECT id, name, category_code, county_code FROM merchants WHERE id = $1 AND ($2::text IS NULL OR county_code = $2)`,
        [merchantId, county],
      );
    if (!merchant) throw new DomainError(ErrorCode.MerchantNotFound, `No merchant ${merchantId}`);
    const flags: FlagRow[] = await this.dataSource.query(
      `${SELECT_FLAGS} WHERE f.merchant_id = $1 ORDER BY f.raised_at DESC, f.id LIMIT 50`,
      [merchantId],
    );
    const holding = flags.find((f) => f.severity === 'high' && HOLDING_STATUSES.includes(f.status));
    const [{ withheld }]: { withheld: string }[] = await this.dataSource.query(
      `SELECT coalesce(sum(amount_fen), 0)::text AS withheld FROM budget_ledger
        WHERE from_account = 'payable:merchant:' || $1::text AND to_account LIKE 'withheld:%'`,
      [merchantId],
    );
    // Order amounts in 10-yuan buckets over the last 30 business days, the merchant's and its category's in the city.
    const buckets: { bucket: number; merchant: number; city: number }[] = await this.dataSource.query(
      `WITH amounts AS (
         SELECT least(r.order_amount_fen / 1000, 50)::int AS bucket, (r.merchant_id = $1)::int AS own
           FROM redemptions r JOIN merchants m ON m.id = r.merchant_id
          WHERE m.category_code = $2 AND r.reversed_at IS NULL
            AND r.business_day > (now() AT TIME ZONE '${BUSINESS_TIME_ZONE}')::date - 30)
       SELECT bucket, sum(own)::int AS merchant, count(*)::int AS city FROM amounts GROUP BY bucket ORDER BY bucket`,
      [merchantId, merchant.category_code],
    );
    const merchantTotal = buckets.reduce((sum, b) => sum + b.merchant, 0);
    const cityTotal = buckets.reduce((sum, b) => sum + b.city, 0);
    return {
      merchantId: merchant.id,
      merchantName: merchant.name,
      categoryCode: merchant.category_code,
      countyCode: merchant.county_code,
      held: holding !== undefined,
      holdingFlagId: holding?.id ?? null,
      withheldFen: fen(withheld),
      flags: flags.map(toDto),
      orderAmounts: buckets.map((b) => ({
        fromFen: fen(b.bucket * 1000),
        merchantShare: merchantTotal ? Number((b.merchant / merchantTotal).toFixed(4)) : 0,
        cityShare: cityTotal ? Number((b.city / cityTotal).toFixed(4)) : 0,
      })),
    };
  }

  async rules(): Promise<RiskRuleDto[]> {
    const rows: RuleRow[] = await this.dataSource.query(
      `SELECT DISTINCT ON (code) code, version, parameters, reason, changed_by_id, created_at
         FROM risk_rules ORDER BY code, version DESC`,
    );
    return rows.map(toRuleDto);
  }

  /** A new version of a rule's parameters (every parameter given, each in its range), audited. */
  changeRule(principal: StaffPrincipal, code: string, change: RiskRuleChangeDto): Promise<RiskRuleDto> {
    if (!Object.values(RiskRule).includes(code as RiskRule)) {
      throw new DomainError(ErrorCode.RiskRuleNotFound, `No risk rule ${code}`);
    }
    const invalid = invalidParameters(code as RiskRule, change.parameters);
    if (invalid.length > 0) {
      throw new DomainError(ErrorCode.RiskRuleParametersInvalid, `Parameters missing, unknown or out of range`, {
        parameters: invalid,
      });
    }
    return this.dataSource.transaction(async (manager) => {
      // The lock makes two changes at once take versions one after the other.
      const [current]: RuleRow[] = await manager.query(
        `SELECT code, version, parameters, reason, changed_by_id, created_at FROM risk_rules
          WHERE code = $1 ORDER BY version DESC LIMIT 1 FOR UPDATE`,
        [code],
      );
      const [created]: RuleRow[] = await manager.query(
        `INSERT INTO risk_rules (code, version, parameters, changed_by_id, reason) VALUES ($1, $2, $3, $4, $5)
         RETURNING code, version, parameters, reason, changed_by_id, created_at`,
        [code, current.version + 1, change.parameters, principal.id, change.reason],
      );
      await recordAudit(manager, principal, {
        action: 'risk.rule.change',
        entityType: 'risk_rule',
        entityId: `${code}@${created.version}`,
        before: toRuleDto(current),
        after: toRuleDto(created),
      });
      return toRuleDto(created);
    });
  }

  private transition(
    principal: StaffPrincipal,
    id: string,
    action: string,
    change: (manager: EntityManager, before: FlagRow) => Promise<void>,
  ): Promise<RiskFlagDetailDto> {
    return this.dataSource.transaction(async (manager) => {
      const after = await changeAudited(
        manager,
        principal,
        { action, entityType: 'risk_flag', entityId: id },
        (lock) => this.find(manager, principal, id, lock),
        (before) => change(manager, before),
        toDto,
      );
      return { ...toDto(after), evidence: after.evidence };
    });
  }

  /** A flag the caller may see, or 404 (a county admin does not learn of another county's flags). */
  private async find(manager: EntityManager, principal: StaffPrincipal, id: string, lock = false): Promise<FlagRow> {
    const [row]: FlagRow[] = await manager.query(`${SELECT_FLAGS} WHERE f.id = $1${lock ? ' FOR UPDATE OF f' : ''}`, [
      id,
    ]);
    const county = countyOf(principal);
    if (!row || (county && row.county_code !== county)) {
      throw new DomainError(ErrorCode.RiskFlagNotFound, 'No such risk flag');
    }
    return row;
  }
}

interface RuleRow {
  code: RiskRule;
  version: number;
  parameters: Record<string, number>;
  reason: string;
  changed_by_id: string | null;
  created_at: Date;
}

const toRuleDto = (row: RuleRow): RiskRuleDto => ({
  code: row.code,
  version: row.version,
  parameters: row.parameters,
  reason: row.reason,
  changedById: row.changed_by_id,
  createdAt: row.created_at.toISOString(),
});
