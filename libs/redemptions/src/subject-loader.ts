import { Injectable } from '@nestjs/common';
import DataLoader from 'dataloader';
import { DataSource } from 'typeorm';
import { DiscountKind, queryPrepared } from '@quan/data';
import { MerchantStatus, VoucherStatus } from '@quan/domain';

/** What a redemption request names: a voucher (by id from a QR token, or by short code), the till's merchant and key. */
export interface SubjectKey {
  voucherId: string | null;
  shortCode: string | null;
  merchantId: string;
  idempotencyKey: string | null;
}

/** Everything a redemption decision needs about its voucher, the voucher's campaign and the merchant. */
export interface Subject {
  voucher_id: string;
  short_code: string;
  status: VoucherStatus;
  valid_from: Date;
  valid_until: Date;
  resident_id: string;
  campaign_id: string;
  voucher_type_id: string;
  type_name: string;
  kind: DiscountKind;
  threshold_fen: string;
  discount_fen: string | null;
  percent_off: number | null;
  cap_fen: string | null;
  bureau_share_bp: number;
  category_codes: string[];
  scope_county_code: string | null;
  eligible_category_codes: string[];
  eligible_county_codes: string[];
  merchant_allow_ids: string[];
  merchant_deny_ids: string[];
  above_quota_only: boolean;
  merchant_daily_redemption_limit: number | null;
  merchant_daily_subsidy_cap_fen: string | null;
  merchant_status: MerchantStatus | null;
  merchant_category_code: string;
  merchant_county_code: string;
  merchant_above_quota: boolean;
  /** The merchant's earlier redemption with the same Idempotency-Key, if any. */
  earlier_id: string | null;
}

const SUBJECTS = `
  SELECT q.n, s.*
    FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[]) WITH ORDINALITY AS q(voucher_id, short_code, merchant_id, key, n)
    LEFT JOIN LATERAL (
      SELECT v.id AS voucher_id, v.short_code, v.status, v.valid_from, v.valid_until, v.resident_id, v.campaign_id, v.voucher_type_id,
             t.name AS type_name, t.kind, t.threshold_fen, t.discount_fen, t.percent_off, t.cap_fen, t.bureau_share_bp, t.category_codes,
             c.scope_county_code, c.eligible_category_codes, c.eligible_county_codes, c.merchant_allow_ids, c.merchant_deny_ids,
             c.above_quota_only, c.merchant_daily_redemption_limit, c.merchant_daily_subsidy_cap_fen,
             m.status AS merchant_status, m.category_code AS merchant_category_code, m.county_code AS merchant_county_code,
             m.above_quota AS merchant_above_quota,
             (SELECT r.id FROM redemptions r WHERE r.merchant_id = q.merchant_id AND r.idempotency_key = q.key) AS earlier_id
        FROM vouchers v
        JOIN voucher_types t ON t.id = v.voucher_type_id
        JOIN campaigns c ON c.id = v.campaign_id
        LEFT JOIN merchants m ON m.id = q.merchant_id
       WHERE v.id = coalesce(q.voucher_id, (SELECT id FROM vouchers WHERE short_code = q.short_code))
    ) s ON true`;

/**
 * Reads the subjects of redemption requests, batched: every request that arrives in the same turn of the
 * event loop is answered by one prepared statement, so a busy till network costs Postgres one round trip
 * per turn instead of one per scan. Nothing is cached; each request reads the current state.
 */
@Injectable()
export class SubjectLoader {
  private readonly loader: DataLoader<SubjectKey, Subject | undefined>;

  constructor(dataSource: DataSource) {
    this.loader = new DataLoader(
      async (keys) => {
        const rows = await queryPrepared<Subject & { n: string }>(dataSource, 'redemption-subjects', SUBJECTS, [
          keys.map((k) => k.voucherId),
          keys.map((k) => k.shortCode),
          keys.map((k) => k.merchantId),
          keys.map((k) => k.idempotencyKey),
        ]);
        const byPosition = new Map(rows.map((row) => [Number(row.n), row.voucher_id === null ? undefined : row]));
        return keys.map((_key, i) => byPosition.get(i + 1));
      },
      { cache: false, maxBatchSize: 500, batchScheduleFn: (run) => setImmediate(run) },
    );
  }

  /** The voucher the key names with its campaign's rules and the merchant, or undefined when there is no such voucher. */
  load(key: SubjectKey): Promise<Subject | undefined> {
    return this.loader.load(key);
  }
}
