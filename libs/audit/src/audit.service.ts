import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AUDIT_GENESIS_HASH, AuditChainHead, AuditLog, StaffAccount } from '@quan/data';
import { fen } from '@quan/domain';
import { AUDIT_ANCHOR_ACTION, AuditAnchor } from '@quan/platform';
import {
  AuditChainDto,
  AuditEntryDto,
  AuditPageDto,
  AuditQueryDto,
  RedemptionTrailPageDto,
  RedemptionTrailQueryDto,
} from './audit.dto';

interface TrailRow {
  id: string;
  redeemed_at: Date;
  cashier_id: string;
  cashier_username: string;
  cashier_role: string;
  merchant_id: string;
  voucher_id: string;
  campaign_id: string;
  order_amount_fen: string;
  discount_fen: string;
  subsidy_fen: string;
  merchant_funded_fen: string;
  idempotency_key: string;
  reversed_at: Date | null;
  reversed_by_id: string | null;
  reverser_username: string | null;
  reverser_role: string | null;
  reversal_business_day: string | null;
}

/**
 * Reads the audit log, newest first, a page at a time (limit and offset). The actor's username is
 * joined at read time: usernames never change and accounts are never deleted, and the role is the one
 * stored with the entry (the role at the time, which a later change of the account does not rewrite).
 */
@Injectable()
export class AuditService {
  constructor(private readonly dataSource: DataSource) {}

  async list(query: AuditQueryDto): Promise<AuditPageDto> {
    const builder = this.dataSource
      .getRepository(AuditLog)
      .createQueryBuilder('a')
      .leftJoin(StaffAccount, 's', 's.id = a.actor_id')
      .addSelect('s.username', 'actor_username')
      .orderBy('a.id', 'DESC')
      .limit(query.limit)
      .offset(query.offset);
    if (query.entityType) builder.andWhere('a.entity_type = :entityType', { entityType: query.entityType });
    if (query.entityId) builder.andWhere('a.entity_id = :entityId', { entityId: query.entityId });
    if (query.actorId) builder.andWhere('a.actor_id = :actorId', { actorId: query.actorId });
    if (query.action?.endsWith('.')) builder.andWhere('starts_with(a.action, :action)', { action: query.action });
    else if (query.action) builder.andWhere('a.action = :action', { action: query.action });
    if (query.from) builder.andWhere('a.at >= :from', { from: new Date(query.from) });
    if (query.to) builder.andWhere('a.at < :to', { to: new Date(query.to) });
    const [total, { entities, raw }] = await Promise.all([
      builder.getCount(),
      builder.getRawAndEntities<{ actor_username: string | null }>(),
    ]);
    return { items: entities.map((entry, index) => AuditEntryDto.from(entry, raw[index].actor_username)), total };
  }

  /**
   * The head of the chain and the newest anchor. The anchor is found by walking the log back from its newest
   * entry, which stops soon: while entries arrive the worker anchors every AUDIT_ANCHOR_MS.
   */
  async chain(): Promise<AuditChainDto> {
    const head = await this.dataSource.getRepository(AuditChainHead).findOneByOrFail({ id: 1 });
    const anchor = await this.dataSource
      .getRepository(AuditLog)
      .findOne({ where: { action: AUDIT_ANCHOR_ACTION }, order: { id: 'DESC' } });
    const anchored = anchor?.after as AuditAnchor | undefined;
    return {
      genesisHash: AUDIT_GENESIS_HASH,
      head: head.lastId === null ? null : { id: head.lastId, hash: head.hash },
      latestAnchor:
        anchor && anchored
          ? {
              id: anchor.id,
              at: anchor.at.toISOString(),
              anchored: { id: anchored.anchoredId, hash: anchored.anchoredHash },
            }
          : null,
    };
  }

  /**
   * The trail of redemptions: the redemptions table itself (written once by the till's commit, its reversal
   * columns set once by the audited reversal), one merchant's business day at a time, with the usernames and
   * roles of the cashiers who redeemed and reversed.
   */
  async redemptions(query: RedemptionTrailQueryDto): Promise<RedemptionTrailPageDto> {
    const [{ total }]: { total: number }[] = await this.dataSource.query(
      `SELECT count(*)::int AS total FROM redemptions WHERE merchant_id = $1 AND business_day = $2`,
      [query.merchantId, query.businessDay],
    );
    const rows: TrailRow[] = await this.dataSource.query(
      `SELECT r.id, r.redeemed_at, r.cashier_id, c.username AS cashier_username, c.role AS cashier_role, r.merchant_id, r.voucher_id, r.campaign_id,
              r.order_amount_fen, r.discount_fen, r.subsidy_fen, r.merchant_funded_fen, r.idempotency_key,
              r.reversed_at, r.reversed_by_id, x.username AS reverser_username, x.role AS reverser_role,
              to_char(r.reversal_business_day, 'YYYY-MM-DD') AS reversal_business_day
         FROM redemptions r JOIN staff_accounts c ON c.id = r.cashier_id LEFT JOIN staff_accounts x ON x.id = r.reversed_by_id
        WHERE r.merchant_id = $1 AND r.business_day = $2
        ORDER BY r.redeemed_at DESC, r.id LIMIT $3 OFFSET $4`,
      [query.merchantId, query.businessDay, query.limit, query.offset],
    );
    return {
      items: rows.map((row) => ({
        redemptionId: row.id,
        redeemedAt: row.redeemed_at.toISOString(),
        by: { id: row.cashier_id, username: row.cashier_username, role: row.cashier_role },
        merchantId: row.merchant_id,
        voucherId: row.voucher_id,
        campaignId: row.campaign_id,
        orderAmountFen: fen(row.order_amount_fen),
        discountFen: fen(row.discount_fen),
        subsidyFen: fen(row.subsidy_fen),
        merchantFundedFen: fen(row.merchant_funded_fen),
        idempotencyKey: row.idempotency_key,
        // ck_redemptions_reversal sets the reversal columns together, and staff accounts are never deleted.
        reversal:
          row.reversed_at &&
          row.reversed_by_id &&
          row.reverser_username &&
          row.reverser_role &&
          row.reversal_business_day
            ? {
                at: row.reversed_at.toISOString(),
                by: { id: row.reversed_by_id, username: row.reverser_username, role: row.reverser_role },
                businessDay: row.reversal_business_day,
              }
            : null,
      })),
      total,
      limit: query.limit,
      offset: query.offset,
    };
  }
}
