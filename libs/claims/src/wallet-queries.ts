import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { VoucherStatus } from '@quan/data';
import { DomainError, ErrorCode, Fen } from '@quan/domain';
import {
  ClaimResultDto,
  ListVouchersQuery,
  VoucherDetailDto,
  VoucherDto,
  VoucherEventDto,
  VoucherEventKind,
} from './claims.dto';
import { RULE_COLUMNS, RuleRow, ruleOf } from './voucher-rules';

interface VoucherRow extends RuleRow {
  id: string;
  claim_id: string;
  campaign_id: string;
  campaign_name: string;
  voucher_type_id: string;
  name: string;
  short_code: string;
  status: VoucherStatus;
  valid_from: Date;
  valid_until: Date;
  claimed_at: Date;
}

interface RedemptionRow {
  id: string;
  merchant_name: string;
  order_amount_fen: string;
  discount_fen: string;
  redeemed_at: Date;
  reversed_at: Date | null;
}

/** A claimed voucher past its validity is expired to the resident (and to the till) before the expiry job marks it. */
const SHOWN_STATUS = `CASE WHEN v.status = 'claimed' AND v.valid_until <= now() THEN 'expired'::voucher_status ELSE v.status END`;

const VOUCHERS = `SELECT v.id, v.claim_id, v.campaign_id, c.name AS campaign_name, v.voucher_type_id, t.name, ${RULE_COLUMNS},
         v.short_code, ${SHOWN_STATUS} AS status, v.valid_from, v.valid_until, v.claimed_at
    FROM vouchers v JOIN voucher_types t ON t.id = v.voucher_type_id JOIN campaigns c ON c.id = v.campaign_id`;

function voucherDto(row: VoucherRow): VoucherDto {
  return {
    id: row.id,
    campaignId: row.campaign_id,
    campaignName: row.campaign_name,
    voucherTypeId: row.voucher_type_id,
    name: row.name,
    ...ruleOf(row),
    shortCode: row.short_code,
    status: row.status,
    validFrom: row.valid_from.toISOString(),
    validUntil: row.valid_until.toISOString(),
    claimedAt: row.claimed_at.toISOString(),
  };
}

/** Claimed, each redemption and its reversal, or expired: oldest first. */
function historyOf(voucher: VoucherDto, redemptions: RedemptionRow[]): VoucherEventDto[] {
  const event = (kind: VoucherEventKind, at: string, redemption?: RedemptionRow): VoucherEventDto => ({
    kind,
    at,
    redemptionId: redemption?.id ?? null,
    merchantName: redemption?.merchant_name ?? null,
    orderAmountFen: redemption ? (Number(redemption.order_amount_fen) as Fen) : null,
    discountFen: redemption ? (Number(redemption.discount_fen) as Fen) : null,
  });
  const events = [event(VoucherEventKind.Claimed, voucher.claimedAt)];
  for (const redemption of redemptions) {
    events.push(event(VoucherEventKind.Redeemed, redemption.redeemed_at.toISOString(), redemption));
    if (redemption.reversed_at)
      events.push(event(VoucherEventKind.Reversed, redemption.reversed_at.toISOString(), redemption));
  }
  if (voucher.status === VoucherStatus.Expired) events.push(event(VoucherEventKind.Expired, voucher.validUntil));
  return events;
}

const BY_ID = 'id = $2';
/** A key's own claim, else the claim it was answered with at a limit (claim_keys): one index lookup each. */
const BY_KEY = `id = COALESCE((SELECT id FROM claims WHERE resident_id = $1 AND idempotency_key = $2),
                              (SELECT claim_id FROM claim_keys WHERE resident_id = $1 AND idempotency_key = $2))`;

/** A resident's wallet: their vouchers, one voucher with its history, and a claim as it was answered. */
@Injectable()
export class WalletQueries {
  constructor(private readonly dataSource: DataSource) {}

  /** A claim of the resident with its vouchers, by id or by the Idempotency-Key it was made or answered with. */
  async findClaim(
    residentId: string,
    by: { id: string } | { idempotencyKey: string },
  ): Promise<ClaimResultDto | undefined> {
    const [match, value] = 'id' in by ? [BY_ID, by.id] : [BY_KEY, by.idempotencyKey];
    const [claim] = (await this.dataSource.query(
      `SELECT id, round_id, offer_id, claimed_at FROM claims WHERE resident_id = $1 AND ${match}`,
      [residentId, value],
    )) as { id: string; round_id: string; offer_id: string; claimed_at: Date }[];
    if (!claim) return undefined;
    const vouchers = (await this.dataSource.query(`${VOUCHERS} WHERE v.claim_id = $1 ORDER BY t.threshold_fen, v.id`, [
      claim.id,
    ])) as VoucherRow[];
    return {
      claimId: claim.id,
      roundId: claim.round_id,
      offerId: claim.offer_id,
      claimedAt: claim.claimed_at.toISOString(),
      vouchers: vouchers.map(voucherDto),
    };
  }

  /** The resident's vouchers, newest first, in the statuses asked for (all when none). */
  async myVouchers(residentId: string, query: ListVouchersQuery): Promise<VoucherDto[]> {
    const rows = (await this.dataSource.query(
      `${VOUCHERS} WHERE v.resident_id = $1 AND ($2::voucher_status[] IS NULL OR ${SHOWN_STATUS} = ANY ($2))
        ORDER BY v.claimed_at DESC, t.threshold_fen, v.id LIMIT 500`,
      [residentId, query.status ?? null],
    )) as VoucherRow[];
    return rows.map(voucherDto);
  }

  /** One of the resident's own vouchers with its history; another resident's is as unknown as a missing one. */
  async myVoucher(residentId: string, voucherId: string): Promise<VoucherDetailDto> {
    const [row] = (await this.dataSource.query(`${VOUCHERS} WHERE v.id = $1 AND v.resident_id = $2`, [
      voucherId,
      residentId,
    ])) as VoucherRow[];
    if (!row) throw new DomainError(ErrorCode.VoucherNotFound, `No voucher ${voucherId}`);
    const redemptions = (await this.dataSource.query(
      `SELECT r.id, m.name AS merchant_name, r.order_amount_fen, r.discount_fen, r.redeemed_at, r.reversed_at
         FROM redemptions r JOIN merchants m ON m.id = r.merchant_id WHERE r.voucher_id = $1 ORDER BY r.redeemed_at, r.id`,
      [voucherId],
    )) as RedemptionRow[];
    const voucher = voucherDto(row);
    return { ...voucher, history: historyOf(voucher, redemptions) };
  }
}
