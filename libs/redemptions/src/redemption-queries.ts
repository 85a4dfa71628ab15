import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { DiscountKind } from '@quan/data';
import { businessDay, businessDayStart, DomainError, ErrorCode, Fen } from '@quan/domain';
import { RedemptionDto, RedemptionListDto } from './redemptions.dto';

interface RedemptionRow {
  id: string;
  voucher_id: string;
  short_code: string;
  campaign_id: string;
  voucher_type_id: string;
  type_name: string;
  kind: DiscountKind;
  threshold_fen: string;
  valid_until: Date;
  merchant_id: string;
  cashier_id: string;
  order_amount_fen: string;
  discount_fen: string;
  subsidy_fen: string;
  merchant_funded_fen: string;
  business_day: string;
  redeemed_at: Date;
  reversed_at: Date | null;
  reversal_business_day: string | null;
  idempotency_key: string;
}

const REDEMPTION = `
  SELECT r.id, r.voucher_id, v.short_code, r.campaign_id, r.voucher_type_id, t.name AS type_name, t.kind, t.threshold_fen, v.valid_until,
         r.merchant_id, r.cashier_id, r.order_amount_fen, r.discount_fen, r.subsidy_fen, r.merchant_funded_fen,
         to_char(r.business_day, 'YYYY-MM-DD') AS business_day, r.redeemed_at, r.reversed_at,
         to_char(r.reversal_business_day, 'YYYY-MM-DD') AS reversal_business_day, r.idempotency_key
    FROM redemptions r
    JOIN vouchers v ON v.id = r.voucher_id
    JOIN voucher_types t ON t.id = r.voucher_type_id`;

export const asFen = (value: string | number) => Number(value) as Fen;

function redemptionDto(row: RedemptionRow): RedemptionDto {
  const order = asFen(row.order_amount_fen);
  const discount = asFen(row.discount_fen);
  return {
    id: row.id,
    merchantId: row.merchant_id,
    cashierId: row.cashier_id,
    orderAmountFen: order,
    discountFen: discount,
    subsidyFen: asFen(row.subsidy_fen),
    merchantFundedFen: asFen(row.merchant_funded_fen),
    payableFen: (order - discount) as Fen,
    voucher: {
      id: row.voucher_id,
      shortCode: row.short_code,
      campaignId: row.campaign_id,
      voucherTypeId: row.voucher_type_id,
      name: row.type_name,
      kind: row.kind,
      thresholdFen: asFen(row.threshold_fen),
      validUntil: row.valid_until.toISOString(),
    },
    businessDay: row.business_day,
    redeemedAt: row.redeemed_at.toISOString(),
    reversedAt: row.reversed_at?.toISOString() ?? null,
    reversalBusinessDay: row.reversal_business_day,
  };
}

/** The redemptions as merchants read them: one by id, and the day's listing with its totals. */
@Injectable()
export class RedemptionQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** The merchant's redemptions of one business day (newest first) and the day's totals. */
  async list(merchantId: string, date: string | undefined): Promise<RedemptionListDto> {
    const day = date ?? businessDay(new Date());
    try {
      businessDayStart(day);
    } catch {
      throw new DomainError(ErrorCode.ValidationFailed, `${day} is not a date`, { field: 'date' });
    }
    const rows = (await this.dataSource.query(
      `${REDEMPTION} WHERE r.merchant_id = $1 AND r.business_day = $2 ORDER BY r.redeemed_at DESC, r.id LIMIT 1000`,
      [merchantId, day],
    )) as RedemptionRow[];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE reversed_at IS NULL)::int AS count, count(*) FILTER (WHERE reversed_at IS NOT NULL)::int AS reversed,
              coalesce(sum(order_amount_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS order_fen,
              coalesce(sum(discount_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS discount_fen,
              coalesce(sum(subsidy_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS subsidy_fen,
              coalesce(sum(merchant_funded_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS merchant_funded_fen
         FROM redemptions WHERE merchant_id = $1 AND business_day = $2`,
      [merchantId, day],
    )) as {
      count: number;
      reversed: number;
      order_fen: string;
      discount_fen: string;
      subsidy_fen: string;
      merchant_funded_fen: string;
    }[];
    return {
      date: day,
      items: rows.map(redemptionDto),
      totals: {
        count: totals.count,
        reversed: totals.reversed,
        orderAmountFen: asFen(totals.order_fen),
        discountFen: asFen(totals.discount_fen),
        subsidyFen: asFen(totals.subsidy_fen),
        merchantFundedFen: asFen(totals.merchant_funded_fen),
      },
    };
  }

  /** One redemption of the merchant; another merchant's is as unknown as a missing one. */
  async load(merchantId: string, redemptionId: string): Promise<RedemptionDto> {
    const [row] = (await this.dataSource.query(`${REDEMPTION} WHERE r.id = $1 AND r.merchant_id = $2`, [
      redemptionId,
      merchantId,
    ])) as RedemptionRow[];
    if (!row) throw new DomainError(ErrorCode.RedemptionNotFound, `No redemption ${redemptionId} at this merchant`);
    return redemptionDto(row);
  }
}
