import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StaffPrincipal } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { RedemptionCounters } from '@quan/counters';
import { redemptionEventSql, SettlementJob } from '@quan/data';
import { businessDay, businessDayStart, DomainError, ErrorCode } from '@quan/domain';
import { currentTraceparent, recordAudit } from '@quan/platform';
import { RedemptionQueries } from './redemption-queries';
import { RedemptionDto } from './redemptions.dto';

const REVERSAL_EVENT = redemptionEventSql({
  redemptionId: 'id',
  campaignId: 'campaign_id',
  merchantId: 'merchant_id',
  businessDay: '$4::date',
  subsidyFen: 'subsidy_fen',
  trace: '$6::text',
});

/**
 * Reversal of a redemption (撤销) by its merchant within the reversal window: the voucher can be used
 * again, the budget and the merchant's day get the subsidy back, and an outbox message tells settlement.
 */
@Injectable()
export class Reversals {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: RedemptionQueries,
    private readonly counters: RedemptionCounters,
    private readonly config: AppConfig,
  ) {}

  /** Reversing a reversed redemption answers it again and changes nothing. */
  async reverse(staff: StaffPrincipal, redemptionId: string, reason: string | undefined): Promise<RedemptionDto> {
    const current = await this.queries.load(staff.merchantId!, redemptionId);
    if (current.reversedAt) return current;
    const now = new Date();
    const today = businessDay(now);
    const lastDay = businessDay(
      new Date(businessDayStart(current.businessDay).getTime() + this.config.REVERSAL_WINDOW_DAYS * 86400000),
    );
    if (today > lastDay) {
      throw new DomainError(
        ErrorCode.ReversalWindowClosed,
        `Redemptions of ${current.businessDay} could be reversed until the end of ${lastDay}`,
        { lastDay },
      );
    }
    const reversed = await this.dataSource.transaction(async (manager) => {
      const rows = (await manager.query(
        `WITH r AS (
           UPDATE redemptions SET reversed_at = $2, reversed_by_id = $3, reversal_business_day = $4, reversal_xid = pg_current_xact_id()::text::bigint
            WHERE id = $1 AND reversed_at IS NULL
            RETURNING id, voucher_id, campaign_id, merchant_id, subsidy_fen
         ), v AS (
           UPDATE vouchers SET status = 'claimed' FROM r WHERE vouchers.id = r.voucher_id
         ), s AS (
           UPDATE campaign_spend cs SET redeemed_subsidy_fen = cs.redeemed_subsidy_fen - r.subsidy_fen FROM r WHERE cs.campaign_id = r.campaign_id
         ), o AS (
           INSERT INTO outbox (topic, payload) SELECT $5, ${REVERSAL_EVENT} FROM r
         )
         SELECT id FROM r`,
        [redemptionId, now, staff.id, today, SettlementJob.Reversed, currentTraceparent() ?? null],
      )) as { id: string }[];
      if (rows.length === 0) return false;
      const after = { ...current, reversedAt: now.toISOString(), reversalBusinessDay: today };
      await recordAudit(
        manager,
        { id: staff.id, role: staff.role },
        {
          action: 'redemption.reverse',
          entityType: 'redemption',
          entityId: redemptionId,
          before: current,
          after: { ...after, reason: reason ?? null },
        },
      );
      return true;
    });
    if (!reversed) return this.queries.load(staff.merchantId!, redemptionId);
    // If Redis cannot be reached now, the next scan of the voucher releases it (RedemptionDecider.releaseAbandoned).
    const place = {
      campaignId: current.voucher.campaignId,
      merchantId: current.merchantId,
      businessDay: current.businessDay,
      voucherId: current.voucher.id,
    };
    await this.counters
      .giveBackReversal({ place, redemptionId, idempotencyKey: '-', subsidyFen: current.subsidyFen })
      .catch(() => undefined);
    return this.queries.load(staff.merchantId!, redemptionId);
  }
}
