import { randomInt, randomUUID } from 'node:crypto';
import { JwtService } from '@nestjs/jwt';
import { DataSource } from 'typeorm';
import { accessClaimsOf, jwtSigningKey } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { bankAccountColumns, FieldCipher, MerchantStatus, StaffRole, SubjectKind } from '@quan/data';
import { generateShortCode } from '@quan/domain';
import { ClaimFixture, createClaimFixture } from './claim-fixture';

export interface FixtureVoucher {
  id: string;
  shortCode: string;
  residentId: string;
  /** The resident's access token. */
  residentToken: string;
  /** 满50减10 (threshold) or 直减5 (fixed). */
  voucherTypeId: string;
}

export interface FixtureMerchant {
  id: string;
  /** Access tokens of its cashiers (two unless the options say otherwise). */
  cashierTokens: string[];
  adminToken: string;
}

export interface RedemptionFixture {
  claims: ClaimFixture;
  campaignId: string;
  /** The 满50减10 and 直减5 voucher types. */
  thresholdTypeId: string;
  fixedTypeId: string;
  /** Two claimed vouchers (one of each type) per resident, in resident order. */
  vouchers: FixtureVoucher[];
  /** Approved merchants of category catering in county hanbin. */
  merchants: FixtureMerchant[];
  /** A suspended merchant, one of category retail, and one in county xunyang. */
  suspended: FixtureMerchant;
  retail: FixtureMerchant;
  otherCounty: FixtureMerchant;
}

export interface RedemptionFixtureOptions {
  /** Residents with two vouchers each. */
  residents: number;
  merchants?: number;
  cashiersPerMerchant?: number;
  /** Columns of the campaign to set (snake_case), e.g. { budget_fen: 5000, issue_beyond_budget: true }. */
  campaign?: Record<string, unknown>;
  /** Bureau share of the 满50减10 type, in basis points. */
  bureauShareBp?: number;
}

const LICENCE_SYMBOLS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const licenceNo = () => Array.from({ length: 18 }, () => LICENCE_SYMBOLS[randomInt(LICENCE_SYMBOLS.length)]).join('');

/**
 * A published campaign whose residents already hold claimed vouchers, and approved merchants with cashiers
 * (plus a suspended one, one of another category and one of another county), inserted directly and
 * set-based, for redemption tests and benchmarks.
 */
export async function createRedemptionFixture(
  dataSource: DataSource,
  config: AppConfig,
  options: RedemptionFixtureOptions,
): Promise<RedemptionFixture> {
  const claims = await createClaimFixture(dataSource, config, {
    stock: options.residents,
    residents: options.residents,
  });
  const types = (await dataSource.query(`SELECT id, kind FROM voucher_types WHERE campaign_id = $1`, [
    claims.campaignId,
  ])) as { id: string; kind: string }[];
  const thresholdTypeId = types.find((t) => t.kind === 'threshold')!.id;
  const fixedTypeId = types.find((t) => t.kind === 'fixed')!.id;
  if (options.bureauShareBp !== undefined) {
    await dataSource.query(`UPDATE voucher_types SET bureau_share_bp = $2 WHERE id = $1`, [
      thresholdTypeId,
      options.bureauShareBp,
    ]);
  }
  for (const [column, value] of Object.entries(options.campaign ?? {})) {
    if (!/^[a-z_]+$/.test(column)) throw new Error(`not a column: ${column}`);
    await dataSource.query(`UPDATE campaigns SET ${column} = $2 WHERE id = $1`, [claims.campaignId, value]);
  }

  const now = new Date();
  const validUntil = new Date(now.getTime() + 7 * 86400000);
  const vouchers: FixtureVoucher[] = [];
  const claimIds: string[] = [];
  for (const resident of claims.residents) {
    claimIds.push(randomUUID());
    for (const voucherTypeId of [thresholdTypeId, fixedTypeId]) {
      vouchers.push({
        id: randomUUID(),
        shortCode: generateShortCode(),
        residentId: resident.id,
        residentToken: resident.token,
        voucherTypeId,
      });
    }
  }
  for (let start = 0; start < claims.residents.length; start += 5000) {
    const residents = claims.residents.slice(start, start + 5000);
    const ids = claimIds.slice(start, start + 5000);
    await dataSource.query(
      `INSERT INTO claims (id, campaign_id, round_id, offer_id, resident_id, identity_id, person_seq, claimed_at)
       SELECT c, $2, $3, $4, r, i, 1, $5 FROM unnest($1::uuid[], $6::uuid[], $7::uuid[]) AS t(c, r, i)`,
      [
        ids,
        claims.campaignId,
        claims.roundId,
        claims.offerId,
        now,
        residents.map((r) => r.id),
        residents.map((r) => r.identityId),
      ],
    );
    const chunk = vouchers.slice(start * 2, (start + residents.length) * 2);
    await dataSource.query(
      `INSERT INTO vouchers (id, claim_id, campaign_id, voucher_type_id, resident_id, short_code, valid_from, valid_until, claimed_at)
       SELECT v, c, $3, t, r, s, $4, $5, $4 FROM unnest($1::uuid[], $2::uuid[], $6::uuid[], $7::uuid[], $8::text[]) AS x(v, c, t, r, s)`,
      [
        chunk.map((v) => v.id),
        chunk.map((_, i) => ids[Math.floor(i / 2)]),
        claims.campaignId,
        now,
        validUntil,
        chunk.map((v) => v.voucherTypeId),
        chunk.map((v) => v.residentId),
        chunk.map((v) => v.shortCode),
      ],
    );
  }
  await dataSource.query(`UPDATE round_offers SET issued = $2 WHERE id = $1`, [
    claims.offerId,
    claims.residents.length,
  ]);

  await dataSource.query(
    `INSERT INTO counties (code, name, kind) VALUES ('hanbin', '汉滨区', 'district'), ('xunyang', '旬阳市', 'county_level_city') ON CONFLICT DO NOTHING`,
  );
  await dataSource.query(
    `INSERT INTO categories (code, name) VALUES ('catering', '餐饮'), ('retail', '商超零售') ON CONFLICT DO NOTHING`,
  );
  const jwt = new JwtService({ secret: jwtSigningKey(config.JWT_SECRET), signOptions: { algorithm: 'HS256' } });
  const cashiers = options.cashiersPerMerchant ?? 2;
  const account = bankAccountColumns(FieldCipher.fromConfig(config), '6222000000000000');
  const merchant = async (category: string, county: string, status: MerchantStatus): Promise<FixtureMerchant> => {
    const id = randomUUID();
    await dataSource.query(
      `INSERT INTO merchants (id, name, licence_no, category_code, county_code, address, bank_name, bank_account_name, bank_account_sealed, bank_account_masked, status)
       VALUES ($1, '测试商户', $2, $3, $4, '测试路1号', '测试银行', '测试商户', $6, $7, $5)`,
      [id, licenceNo(), category, county, status, account.bankAccountSealed, account.bankAccountMasked],
    );
    const staff = Array.from({ length: cashiers + 1 }, (_, i) => ({
      id: randomUUID(),
      role: i < cashiers ? StaffRole.Cashier : StaffRole.MerchantAdmin,
    }));
    await dataSource.query(
      `INSERT INTO staff_accounts (id, username, display_name, password_hash, role, merchant_id)
       SELECT s, 'staff-' || s, '收银员', 'x', r::staff_role, $3 FROM unnest($1::uuid[], $2::text[]) AS t(s, r)`,
      [staff.map((s) => s.id), staff.map((s) => s.role), id],
    );
    const tokens = staff.map((s) =>
      jwt.sign(accessClaimsOf({ kind: SubjectKind.Staff, id: s.id, role: s.role, countyCode: null, merchantId: id }), {
        expiresIn: 3600,
      }),
    );
    return { id, cashierTokens: tokens.slice(0, cashiers), adminToken: tokens[cashiers] };
  };
  const merchants: FixtureMerchant[] = [];
  for (let i = 0; i < (options.merchants ?? 2); i += 1)
    merchants.push(await merchant('catering', 'hanbin', MerchantStatus.Approved));
  return {
    claims,
    campaignId: claims.campaignId,
    thresholdTypeId,
    fixedTypeId,
    vouchers,
    merchants,
    suspended: await merchant('catering', 'hanbin', MerchantStatus.Suspended),
    retail: await merchant('retail', 'hanbin', MerchantStatus.Approved),
    otherCounty: await merchant('catering', 'xunyang', MerchantStatus.Approved),
  };
}
