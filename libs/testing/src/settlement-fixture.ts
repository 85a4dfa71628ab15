import { randomUUID } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { loadConfig } from '@quan/config';
import { bankAccountColumns, CampaignStatus, FieldCipher, redemptionEventSql, SettlementJob } from '@quan/data';
import { businessDayStart } from '@quan/domain';

export interface SettlementFixtureOptions {
  /** How many merchants to enrol, or the ids of existing ones to redeem at. */
  merchants: number | string[];
  redemptionsPerMerchant: number;
  /** The business day (YYYY-MM-DD) the redemptions happen on. */
  businessDay: string;
  /** Every n-th redemption of each merchant is reversed on the same day (0: none). */
  reverseEvery?: number;
  /** Write the outbox rows the redemption API writes (default true; the settlement benchmark does without). */
  outbox?: boolean;
}

export interface SettlementFixture {
  campaignId: string;
  merchantIds: string[];
  cashierId: string;
}

/** Outbox rows as the redemption API writes them, one per redemption (or reversal) selected by `where`. */
const OUTBOX_ROWS = (topic: SettlementJob.Redeemed | SettlementJob.Reversed, day: string) => `
  INSERT INTO outbox (topic, payload)
  SELECT '${topic}', ${redemptionEventSql({
    redemptionId: 'r.id',
    campaignId: 'r.campaign_id',
    merchantId: 'r.merchant_id',
    businessDay: `to_char(${day}, 'YYYY-MM-DD')`,
    subsidyFen: 'r.subsidy_fen',
  })}
    FROM redemptions r`;

/**
 * Redemptions as the redemption API commits them, inserted set-based: a running campaign with its spend,
 * merchants of 汉滨区 (with licence numbers and bank accounts), and per merchant `redemptionsPerMerchant`
 * redemptions of one business day (subsidies of 15.00 to 19.00 yuan), each with its outbox row; every
 * `reverseEvery`-th one reversed the same day (reversal columns, spend given back, outbox row). Voucher
 * rows are left out: settlement reads redemptions only.
 */
export async function createSettlementFixture(
  dataSource: DataSource,
  options: SettlementFixtureOptions,
): Promise<SettlementFixture> {
  const [author, approver, cashierId, campaignId, typeId] = Array.from({ length: 5 }, () => randomUUID());
  const start = businessDayStart(options.businessDay);
  const licencePrefix = String(Math.floor(Math.random() * 1e6)).padStart(6, '0');
  return dataSource.transaction(async (m) => {
    await m.query(
      `INSERT INTO counties (code, name, kind) VALUES ('hanbin', '汉滨区', 'district') ON CONFLICT DO NOTHING`,
    );
    await m.query(`INSERT INTO categories (code, name) VALUES ('catering', '餐饮') ON CONFLICT DO NOTHING`);
    await m.query(
      `INSERT INTO staff_accounts (id, username, display_name, password_hash, role) VALUES
         ($1, $3, 'fixture author', 'x', 'city_admin'), ($2, $4, 'fixture approver', 'x', 'city_admin')`,
      [author, approver, `author-${author}`, `approver-${approver}`],
    );
    await m.query(
      `INSERT INTO campaigns (id, code, name, budget_fen, status, starts_at, ends_at, created_by_id, approved_by_id, version)
       VALUES ($1, $2, '结算测试消费券', 100000000000, $3, $4, $5, $6, $7, 1)`,
      [
        campaignId,
        `S-${campaignId}`,
        CampaignStatus.Running,
        new Date(start.getTime() - 86400000),
        new Date(start.getTime() + 30 * 86400000),
        author,
        approver,
      ],
    );
    // One account for all, sealed with the data keys of the environment every test configuration starts from.
    const account = bankAccountColumns(FieldCipher.fromConfig(loadConfig()), '6217000000000000000');
    const merchants: { id: string }[] =
      typeof options.merchants !== 'number'
        ? options.merchants.map((id) => ({ id }))
        : await m.query(
            `INSERT INTO merchants (name, licence_no, category_code, county_code, address, bank_name, bank_account_name, bank_account_sealed, bank_account_masked, status)
       SELECT '测试商户' || n, '91' || $1 || lpad(n::text, 10, '0'), 'catering', 'hanbin', '汉滨区测试路' || n || '号',
              '安康农商银行', '测试商户' || n, $3, $4, 'approved'
         FROM generate_series(1, $2) AS n RETURNING id`,
            [licencePrefix, options.merchants, account.bankAccountSealed, account.bankAccountMasked],
          );
    const merchantIds = merchants.map((row) => row.id);
    await m.query(
      `INSERT INTO redemptions (id, voucher_id, campaign_id, voucher_type_id, resident_id, merchant_id, cashier_id, order_amount_fen,
                                discount_fen, subsidy_fen, merchant_funded_fen, business_day, redeemed_at, idempotency_key)
       SELECT gen_random_uuid(), gen_random_uuid(), $1, $2, gen_random_uuid(), m.id, $3, 10000 + (g % 50) * 100,
              2000, 1500 + (g % 5) * 100, 500 - (g % 5) * 100, $4, $5::timestamptz + (g * interval '50 ms'), 'fixture-' || g
         FROM unnest($6::uuid[]) AS m(id), generate_series(1, $7) AS g`,
      [campaignId, typeId, cashierId, options.businessDay, start, merchantIds, options.redemptionsPerMerchant],
    );
    if (options.outbox ?? true) {
      await m.query(
        `${OUTBOX_ROWS(SettlementJob.Redeemed, 'r.business_day')} WHERE r.campaign_id = $1 ORDER BY r.redeemed_at, r.id`,
        [campaignId],
      );
    }
    await m.query(
      `INSERT INTO campaign_spend (campaign_id, budget_fen, redeemed_subsidy_fen) SELECT $1, 100000000000, sum(subsidy_fen) FROM redemptions WHERE campaign_id = $1`,
      [campaignId],
    );
    if (options.reverseEvery) {
      const reversed: { id: string }[] = await m.query(
        `SELECT id FROM redemptions WHERE campaign_id = $1 AND substring(idempotency_key from 9)::int % $2 = 0`,
        [campaignId, options.reverseEvery],
      );
      await reverseInTransaction(
        m,
        reversed.map((row) => row.id),
        options.businessDay,
        options.outbox ?? true,
      );
    }
    return { campaignId, merchantIds, cashierId };
  });
}

/** Reverses redemptions on `reversalDay` as the redemption API does: reversal columns, spend given back, one outbox row each. */
export function reverseRedemptions(
  dataSource: DataSource,
  redemptionIds: string[],
  reversalDay: string,
): Promise<void> {
  return dataSource.transaction((m) => reverseInTransaction(m, redemptionIds, reversalDay, true));
}

async function reverseInTransaction(
  m: EntityManager,
  candidates: string[],
  reversalDay: string,
  outbox: boolean,
): Promise<void> {
  const reversedAt = new Date(businessDayStart(reversalDay).getTime() + 20 * 3600 * 1000);
  const [rows]: [{ id: string }[], number] = await m.query(
    `UPDATE redemptions SET reversed_at = $2, reversed_by_id = cashier_id, reversal_business_day = $3
      WHERE id = ANY($1::uuid[]) AND reversed_at IS NULL RETURNING id`,
    [candidates, reversedAt, reversalDay],
  );
  const ids = rows.map((row) => row.id);
  await m.query(
    `UPDATE campaign_spend s SET redeemed_subsidy_fen = s.redeemed_subsidy_fen - r.subsidy
       FROM (SELECT campaign_id, sum(subsidy_fen) AS subsidy FROM redemptions WHERE id = ANY($1::uuid[]) GROUP BY campaign_id) r
      WHERE s.campaign_id = r.campaign_id`,
    [ids],
  );
  if (outbox)
    await m.query(
      `${OUTBOX_ROWS(SettlementJob.Reversed, 'r.reversal_business_day')} WHERE r.id = ANY($1::uuid[]) ORDER BY r.id`,
      [ids],
    );
}
