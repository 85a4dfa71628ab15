import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { DomainError, ErrorCode, fen } from '@quan/domain';
import { PayoutStatus, StaffRole, StatementStatus } from '@quan/data';
import { changeAudited } from '@quan/platform';
import {
  StatementDetailDto,
  StatementDto,
  StatementLineDto,
  StatementPageDto,
  StatementQueryDto,
} from './settlement.dto';

interface StatementRow {
  id: string;
  merchant_id: string;
  merchant_name: string;
  business_day: string;
  status: StatementStatus;
  total_fen: string;
  redemption_count: number;
  adjustment_count: number;
  generated_at: Date;
  submitted_by_id: string | null;
  approved_by_id: string | null;
  batch_id: string | null;
  transfer_id: string | null;
  payout_status: PayoutStatus | null;
  reference: string | null;
}

const SELECT_STATEMENTS = `
  SELECT s.id, s.merchant_id, m.name AS merchant_name, to_char(s.business_day, 'YYYY-MM-DD') AS business_day, s.status, s.total_fen,
         s.redemption_count, s.adjustment_count, s.generated_at, s.submitted_by_id, s.approved_by_id,
         p.batch_id, p.transfer_id, p.status AS payout_status, p.reference
    FROM settlement_statements s JOIN merchants m ON m.id = s.merchant_id
    LEFT JOIN LATERAL (
      SELECT t.batch_id, t.id AS transfer_id, t.status, t.reference
        FROM payout_items i JOIN payout_transfers t ON t.id = i.transfer_id
       WHERE i.statement_id = s.id ORDER BY t.status <> 'failed' DESC, t.created_at DESC, t.id LIMIT 1) p ON true`;

const toDto = (row: StatementRow): StatementDto => ({
  id: row.id,
  merchantId: row.merchant_id,
  merchantName: row.merchant_name,
  businessDay: row.business_day,
  status: row.status,
  totalFen: fen(row.total_fen),
  redemptionCount: row.redemption_count,
  adjustmentCount: row.adjustment_count,
  generatedAt: row.generated_at.toISOString(),
  submittedById: row.submitted_by_id,
  approvedById: row.approved_by_id,
  payout:
    row.batch_id && row.transfer_id && row.payout_status && row.reference
      ? { batchId: row.batch_id, transferId: row.transfer_id, status: row.payout_status, reference: row.reference }
      : null,
});

/**
 * Statements for finance, auditors and the merchant concerned (a merchant admin sees only its own; another
 * merchant's statement is 404). Maker-checker: a finance user submits a statement the system generated,
 * another finance user approves it; Postgres refuses an approver equal to the submitter and any change
 * to an approved statement.
 */
@Injectable()
export class StatementsService {
  constructor(private readonly dataSource: DataSource) {}

  async list(principal: StaffPrincipal, query: StatementQueryDto): Promise<StatementPageDto> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const where = (sql: string, value: unknown) => {
      parameters.push(value);
      conditions.push(sql.replace('?', `$${parameters.length}`));
    };
    // A merchant admin's filter narrows its own statements: another merchant's id finds none.
    if (principal.role === StaffRole.MerchantAdmin) where('s.merchant_id = ?', principal.merchantId);
    if (query.merchantId) where('s.merchant_id = ?', query.merchantId);
    if (query.businessDay) where('s.business_day = ?', query.businessDay);
    if (query.status) where('s.status = ?', query.status);
    parameters.push(query.limit, query.offset);
    const rows: StatementRow[] = await this.dataSource.query(
      `${SELECT_STATEMENTS} ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''}
       ORDER BY s.business_day DESC, m.name, s.id LIMIT $${parameters.length - 1} OFFSET $${parameters.length}`,
      parameters,
    );
    return { items: rows.map(toDto) };
  }

  async get(principal: StaffPrincipal, id: string): Promise<StatementDetailDto> {
    const statement = await this.find(this.dataSource.manager, principal, id);
    const lines: {
      redemption_id: string;
      kind: StatementLineDto['kind'];
      amount_fen: string;
      redemption_day: string;
    }[] = await this.dataSource.query(
      `SELECT redemption_id, kind, amount_fen, to_char(redemption_day, 'YYYY-MM-DD') AS redemption_day
         FROM settlement_lines WHERE statement_id = $1 ORDER BY kind DESC, redemption_day, redemption_id`,
      [id],
    );
    return {
      ...statement,
      lines: lines.map((line) => ({
        redemptionId: line.redemption_id,
        kind: line.kind,
        amountFen: fen(line.amount_fen),
        redemptionDay: line.redemption_day,
      })),
    };
  }

  /** The maker's step: an open statement of a settled day goes to review. */
  submit(principal: StaffPrincipal, id: string): Promise<StatementDto> {
    return this.transition(principal, id, 'settlement.statement.submit', async (manager, before) => {
      const [settled]: unknown[] = await manager.query(`SELECT 1 FROM settled_days WHERE business_day = $1`, [
        before.businessDay,
      ]);
      if (before.status !== StatementStatus.Open || !settled) {
        throw new DomainError(
          ErrorCode.StatementInvalidTransition,
          'Only an open statement of a settled business day can be submitted',
          { statementStatus: before.status },
        );
      }
      await manager.query(
        `UPDATE settlement_statements SET status = 'submitted', submitted_by_id = $2, submitted_at = now() WHERE id = $1`,
        [id, principal.id],
      );
    });
  }

  /** The checker's step: another finance user approves a submitted statement; it is final from then on. */
  approve(principal: StaffPrincipal, id: string): Promise<StatementDto> {
    return this.transition(principal, id, 'settlement.statement.approve', async (manager, before) => {
      if (before.status !== StatementStatus.Submitted) {
        throw new DomainError(ErrorCode.StatementInvalidTransition, 'Only a submitted statement can be approved', {
          statementStatus: before.status,
        });
      }
      if (before.submittedById === principal.id)
        throw new DomainError(ErrorCode.ApproverIsMaker, 'The submitter of a statement cannot approve it');
      // The brake (docs/risk.md): risk_flags is data, not the risk feature, so settlement reads it directly.
      const [held]: { id: string; rule_code: string }[] = await manager.query(
        `SELECT id, rule_code FROM risk_flags
          WHERE merchant_id = $1 AND severity = 'high' AND status IN ('open', 'clearing', 'confirmed')
          ORDER BY raised_at LIMIT 1`,
        [before.merchantId],
      );
      if (held) {
        throw new DomainError(
          ErrorCode.SettlementHeld,
          `The merchant's statements are held by risk flag ${held.id} until it is cleared`,
          { flagId: held.id, rule: held.rule_code },
        );
      }
      await manager.query(
        `UPDATE settlement_statements SET status = 'approved', approved_by_id = $2, approved_at = now() WHERE id = $1`,
        [id, principal.id],
      );
    });
  }

  private transition(
    principal: StaffPrincipal,
    id: string,
    action: string,
    change: (manager: EntityManager, before: StatementDto) => Promise<void>,
  ): Promise<StatementDto> {
    return this.dataSource.transaction((manager) =>
      changeAudited(
        manager,
        principal,
        { action, entityType: 'settlement_statement', entityId: id },
        (lock) => this.find(manager, principal, id, lock),
        (before) => change(manager, before),
      ),
    );
  }

  private async find(
    manager: EntityManager,
    principal: StaffPrincipal,
    id: string,
    lock = false,
  ): Promise<StatementDto> {
    const [row]: StatementRow[] = await manager.query(
      `${SELECT_STATEMENTS} WHERE s.id = $1${lock ? ' FOR UPDATE OF s' : ''}`,
      [id],
    );
    if (!row || (principal.role === StaffRole.MerchantAdmin && row.merchant_id !== principal.merchantId)) {
      throw new DomainError(ErrorCode.StatementNotFound, 'No such statement');
    }
    return toDto(row);
  }
}
