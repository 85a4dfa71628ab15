import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import Redis from 'ioredis';
import QRCode from 'qrcode';
import { DataSource } from 'typeorm';
import { StaffPrincipal, VoucherTokens } from '@quan/auth';
import { AppConfig } from '@quan/config';
import { CampaignCounters, DiscountKind, givenBackKey, REDIS, RedisRun, SettlementJob } from '@quan/data';
import {
  assertMerchantEligible, assertVoucherRedeemable, businessDay, businessDayStart, DomainError, ErrorCode, Fen,
  parseShortCode, quote, Quote, VoucherStatus,
} from '@quan/domain';
import { currentTraceparent, recordAudit, validationFailed } from '@quan/platform';
import {
  defineRedemptionScripts, formatHolder, giveBackReversal, Holder, parseHolder, RedemptionKeys, redemptionKeys, RedemptionPlace, RedemptionScripts,
} from './redemption-scripts';
import { NewRedemption, RedemptionRefused, RedemptionWriter } from './redemption-writer';
import { Subject, SubjectLoader } from './subject-loader';
import { QrTokenDto, QuoteDto, RedeemedVoucherDto, RedemptionDto, RedemptionListDto, RedemptionRequestDto } from './redemptions.dto';

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

const asFen = (value: string | number) => Number(value) as Fen;

function redemptionDto(row: RedemptionRow): RedemptionDto {
  const order = asFen(row.order_amount_fen);
  const discount = asFen(row.discount_fen);
  return {
    id: row.id, merchantId: row.merchant_id, cashierId: row.cashier_id,
    orderAmountFen: order, discountFen: discount, subsidyFen: asFen(row.subsidy_fen), merchantFundedFen: asFen(row.merchant_funded_fen),
    payableFen: (order - discount) as Fen,
    voucher: {
      id: row.voucher_id, shortCode: row.short_code, campaignId: row.campaign_id, voucherTypeId: row.voucher_type_id, name: row.type_name,
      kind: row.kind, thresholdFen: asFen(row.threshold_fen), validUntil: row.valid_until.toISOString(),
    },
    businessDay: row.business_day, redeemedAt: row.redeemed_at.toISOString(),
    reversedAt: row.reversed_at?.toISOString() ?? null, reversalBusinessDay: row.reversal_business_day,
  };
}

/** What a request names: a QR token or a typed short code. */
type Reference = { voucherId: string; residentId: string; tokenExpiresAt: Date } | { shortCode: string };

interface Decision {
  subject: Subject;
  reference: Reference;
  /** Absent when the Idempotency-Key was used before: the first answer is repeated instead. */
  quote?: Quote;
}

/** A redemption decided in Redis that has not reached Postgres after this long is taken as abandoned. */
const ABANDONED_AFTER_MS = 60_000;

const REFUSALS: Record<string, [ErrorCode, string]> = {
  BUDGET_EXHAUSTED: [ErrorCode.BudgetExhausted, "The campaign's subsidy budget is used up"],
  MERCHANT_LIMIT_REACHED: [ErrorCode.MerchantLimitReached, "The merchant has reached today's limit for this campaign"],
};

/**
 * Redemption (核销) at the till: the cashier's quote is computed by the rules in libs/domain; the
 * confirmation is decided atomically in Redis (redeem.lua: voucher, campaign budget, merchant's daily
 * caps, idempotency), committed in Postgres with its outbox message (RedemptionWriter), and only then
 * answered. Anything decided but not committed is given back (release.lua).
 */
@Injectable()
export class RedemptionsService {
  private readonly scripts: RedemptionScripts;

  constructor(
    private readonly dataSource: DataSource,
    private readonly subjects: SubjectLoader,
    private readonly writer: RedemptionWriter,
    private readonly tokens: VoucherTokens,
    private readonly counters: CampaignCounters,
    private readonly run: RedisRun,
    private readonly config: AppConfig,
    @Inject(REDIS) redis: Redis,
  ) {
    this.scripts = defineRedemptionScripts(redis);
  }

  /** A fresh QR token for one of the resident's own vouchers that can be redeemed now, and its QR code as SVG. */
  async qrToken(residentId: string, voucherId: string): Promise<QrTokenDto> {
    const [voucher] = (await this.dataSource.query(
      `SELECT status, valid_from, valid_until FROM vouchers WHERE id = $1 AND resident_id = $2`,
      [voucherId, residentId],
    )) as { status: VoucherStatus; valid_from: Date; valid_until: Date }[];
    if (!voucher) throw new DomainError(ErrorCode.VoucherNotFound, `You have no voucher ${voucherId}`);
    assertVoucherRedeemable({ status: voucher.status, validFrom: voucher.valid_from, validUntil: voucher.valid_until }, new Date());
    const { token, expiresAt } = this.tokens.issue(voucherId, residentId);
    const svg = await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    return { token, expiresAt: expiresAt.toISOString(), svg };
  }

  /** What the redemption would give, with every check a redemption makes except the counted ones. Changes nothing. */
  async quote(cashier: StaffPrincipal, request: RedemptionRequestDto): Promise<QuoteDto> {
    const { subject, quote: result, reference } = await this.decide(cashier, request, undefined);
    this.assertFresh(reference);
    return { ...result!, voucher: this.voucherOf(subject) };
  }

  async redeem(cashier: StaffPrincipal, request: RedemptionRequestDto, key: string): Promise<RedemptionDto> {
    const { subject, quote: result, reference } = await this.decide(cashier, request, key);
    if (!result) return this.repeat(cashier, subject.earlier_id!, request, subject.voucher_id);
    this.assertFresh(reference);

    const runId = this.run.current();
    if (!runId) throw new DomainError(ErrorCode.Unavailable, 'Redemptions are paused while the counters reconnect; retry shortly');
    const now = new Date();
    const redemption: NewRedemption = {
      id: randomUUID(), voucherId: subject.voucher_id, campaignId: subject.campaign_id, voucherTypeId: subject.voucher_type_id,
      residentId: subject.resident_id, merchantId: cashier.merchantId!, cashierId: cashier.id, orderAmountFen: result.orderAmountFen,
      discountFen: result.discountFen, subsidyFen: result.subsidyFen, merchantFundedFen: result.merchantFundedFen,
      businessDay: businessDay(now), redeemedAt: now, idempotencyKey: key,
    };
    const keys = this.keysOf(redemption, key);
    const fingerprint = this.fingerprint(subject.voucher_id, request.orderAmountFen);
    const holder = formatHolder({
      redemptionId: redemption.id, decidedAtMs: now.getTime(), subsidyFen: redemption.subsidyFen, merchantId: redemption.merchantId,
      businessDay: redemption.businessDay, runId, idempotencyKey: key,
    });
    const decideInRedis = async (): Promise<[string, string]> => {
      try {
        return await this.scripts.redeem(
          keys, runId, redemption.subsidyFen, subject.merchant_daily_redemption_limit ?? 0, Number(subject.merchant_daily_subsidy_cap_fen ?? 0),
          holder, fingerprint, subject.valid_until.getTime() + 86400000,
        );
      } catch (error) {
        // The script may have run before the reply was lost (a command timeout): give its decision back.
        await this.release(redemption.campaignId, keys, redemption.id).catch(() => undefined);
        throw error;
      }
    };
    for (let attempt = 0; ; attempt += 1) {
      let [status, value] = await decideInRedis();
      if (status === 'FENCED') {
        await this.counters.rebuildRedemptions(subject.campaign_id, runId);
        [status, value] = await decideInRedis();
      }
      switch (status) {
        case 'OK':
          return this.commit(cashier, redemption, subject, request, keys);
        case 'IN_PROGRESS':
          if (value !== fingerprint) throw this.keyReused();
          throw this.inProgress();
        case 'FENCED':
          throw new DomainError(ErrorCode.Unavailable, 'The campaign counters are being rebuilt after a restart; retry shortly');
        case 'ALREADY_REDEEMED': {
          const other = parseHolder(value);
          // The first request with this key, still being committed after its in-flight record expired.
          if (other.merchantId === redemption.merchantId && other.idempotencyKey === key) throw this.inProgress();
          if (attempt === 0 && subject.status === VoucherStatus.Claimed && (await this.releaseAbandoned(subject, other))) continue;
          throw await this.alreadyRedeemed(subject.voucher_id, redemption.merchantId);
        }
        default: {
          const [code, message] = REFUSALS[status] ?? [ErrorCode.Internal, `unexpected redemption decision ${status}`];
          throw new DomainError(code, message, status === 'MERCHANT_LIMIT_REACHED' ? { limit: value } : {});
        }
      }
    }
  }

  /**
   * Postgres says the voucher is claimed, but Redis holds it for another decision. Release it when that
   * decision is known to be over: its redemption was reversed (the reversal could not reach Redis), or it
   * never reached Postgres and was made more than ABANDONED_AFTER_MS ago (the api that made it died, or
   * lost its answer). A decision still being committed is left alone.
   */
  private async releaseAbandoned(subject: Subject, other: Holder): Promise<boolean> {
    const [row] = (await this.dataSource.query(`SELECT reversed_at IS NULL AS active FROM redemptions WHERE id = $1`, [other.redemptionId])) as {
      active: boolean;
    }[];
    if (row?.active) return false;
    if (!row && Date.now() - other.decidedAtMs < ABANDONED_AFTER_MS) return false;
    const keys = this.keysOf(
      { campaignId: subject.campaign_id, merchantId: other.merchantId, businessDay: other.businessDay, voucherId: subject.voucher_id },
      other.idempotencyKey,
    );
    if (row) await this.releaseReversed(subject.campaign_id, keys, other.redemptionId, other.subsidyFen);
    else await this.release(subject.campaign_id, keys, other.redemptionId);
    return true;
  }

  /** Gives back a decision that never committed (release.lua). */
  private release(campaignId: string, keys: RedemptionKeys, redemptionId: string): Promise<number> {
    return this.scripts.release(keys, givenBackKey(this.config.REDIS_KEY_PREFIX, campaignId, redemptionId), redemptionId);
  }

  private releaseReversed(campaignId: string, keys: RedemptionKeys, redemptionId: string, subsidyFen: number): Promise<void> {
    return giveBackReversal(this.scripts, this.counters, () => this.run.current(), this.config.REDIS_KEY_PREFIX, keys, campaignId, redemptionId, subsidyFen);
  }

  private async commit(
    cashier: StaffPrincipal, redemption: NewRedemption, subject: Subject, request: RedemptionRequestDto, keys: RedemptionKeys,
  ): Promise<RedemptionDto> {
    const redeemed: RedemptionDto = {
      orderAmountFen: redemption.orderAmountFen, discountFen: redemption.discountFen, subsidyFen: redemption.subsidyFen,
      merchantFundedFen: redemption.merchantFundedFen, payableFen: (redemption.orderAmountFen - redemption.discountFen) as Fen,
      id: redemption.id, merchantId: redemption.merchantId, cashierId: redemption.cashierId, voucher: this.voucherOf(subject),
      businessDay: redemption.businessDay, redeemedAt: redemption.redeemedAt.toISOString(), reversedAt: null, reversalBusinessDay: null,
    };
    try {
      await this.writer.write(redemption);
      return redeemed;
    } catch (error) {
      if (!(error instanceof RedemptionRefused)) {
        // The outcome is unknown (the connection may have dropped after COMMIT): ask Postgres before giving
        // anything back; if it cannot say, the decision stays counted (too high is the safe side) until
        // releaseAbandoned finds it never committed.
        const committed = await this.exists(redemption.id).catch(() => undefined);
        if (committed) return redeemed;
        if (committed === false) await this.release(redemption.campaignId, keys, redemption.id).catch(() => undefined);
        throw error;
      }
      await this.release(redemption.campaignId, keys, redemption.id).catch(() => undefined);
      switch (error.reason) {
        case 'duplicate_key': {
          const [earlier] = (await this.dataSource.query(`SELECT id FROM redemptions WHERE merchant_id = $1 AND idempotency_key = $2`, [
            redemption.merchantId, redemption.idempotencyKey,
          ])) as { id: string }[];
          return this.repeat(cashier, earlier.id, request, redemption.voucherId);
        }
        case 'budget':
          throw new DomainError(ErrorCode.BudgetExhausted, "The campaign's subsidy budget is used up");
        case 'already_redeemed':
        case 'voucher_state': {
          // Redis did not know (its voucher record was lost): Postgres has the voucher's real state.
          const [voucher] = (await this.dataSource.query(`SELECT status, valid_from, valid_until FROM vouchers WHERE id = $1`, [redemption.voucherId])) as {
            status: VoucherStatus; valid_from: Date; valid_until: Date;
          }[];
          assertVoucherRedeemable({ status: voucher.status, validFrom: voucher.valid_from, validUntil: voucher.valid_until }, redemption.redeemedAt);
          throw await this.alreadyRedeemed(redemption.voucherId, redemption.merchantId);
        }
      }
    }
  }

  private async exists(redemptionId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM redemptions WHERE id = $1`, [redemptionId])) as unknown[];
    return rows.length > 0;
  }

  private inProgress(): DomainError {
    return new DomainError(ErrorCode.RequestInProgress, 'The first request with this Idempotency-Key is still being processed');
  }

  /**
   * Reverses a redemption of the caller's merchant (撤销) within the reversal window: the voucher can be
   * used again, the budget and the merchant's day get the subsidy back, and an outbox message tells
   * settlement. Reversing a reversed redemption answers it again and changes nothing.
   */
  async reverse(staff: StaffPrincipal, redemptionId: string, reason: string | undefined): Promise<RedemptionDto> {
    const current = await this.load(staff.merchantId!, redemptionId);
    if (current.reversedAt) return current;
    const now = new Date();
    const today = businessDay(now);
    const lastDay = businessDay(new Date(businessDayStart(current.businessDay).getTime() + this.config.REVERSAL_WINDOW_DAYS * 86400000));
    if (today > lastDay) {
      throw new DomainError(ErrorCode.ReversalWindowClosed, `Redemptions of ${current.businessDay} could be reversed until the end of ${lastDay}`, { lastDay });
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
           INSERT INTO outbox (topic, payload)
           SELECT $5, jsonb_strip_nulls(jsonb_build_object('redemptionId', id, 'campaignId', campaign_id, 'merchantId', merchant_id,
                                         'businessDay', $4::date, 'subsidyFen', subsidy_fen, 'trace', $6::text)) FROM r
         )
         SELECT id FROM r`,
        [redemptionId, now, staff.id, today, SettlementJob.Reversed, currentTraceparent() ?? null],
      )) as { id: string }[];
      if (rows.length === 0) return false;
      const after = { ...current, reversedAt: now.toISOString(), reversalBusinessDay: today };
      await recordAudit(manager, { id: staff.id, role: staff.role }, {
        action: 'redemption.reverse', entityType: 'redemption', entityId: redemptionId, before: current, after: { ...after, reason: reason ?? null },
      });
      return true;
    });
    if (!reversed) return this.load(staff.merchantId!, redemptionId);
    // If Redis cannot be reached now, the next scan of the voucher releases it (releaseAbandoned).
    const keys = this.keysOf({ ...current, voucherId: current.voucher.id, campaignId: current.voucher.campaignId }, '-');
    await this.releaseReversed(current.voucher.campaignId, keys, redemptionId, current.subsidyFen).catch(() => undefined);
    return this.load(staff.merchantId!, redemptionId);
  }

  /** The merchant's redemptions of one business day (newest first) and the day's totals. */
  async list(merchantId: string, date: string | undefined): Promise<RedemptionListDto> {
    const day = date ?? businessDay(new Date());
    try {
      businessDayStart(day);
    } catch {
      throw new DomainError(ErrorCode.ValidationFailed, `${day} is not a date`, { field: 'date' });
    }
    const rows = (await this.dataSource.query(`${REDEMPTION} WHERE r.merchant_id = $1 AND r.business_day = $2 ORDER BY r.redeemed_at DESC, r.id LIMIT 1000`, [
      merchantId, day,
    ])) as RedemptionRow[];
    const [totals] = (await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE reversed_at IS NULL)::int AS count, count(*) FILTER (WHERE reversed_at IS NOT NULL)::int AS reversed,
              coalesce(sum(order_amount_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS order_fen,
              coalesce(sum(discount_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS discount_fen,
              coalesce(sum(subsidy_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS subsidy_fen,
              coalesce(sum(merchant_funded_fen) FILTER (WHERE reversed_at IS NULL), 0)::text AS merchant_funded_fen
         FROM redemptions WHERE merchant_id = $1 AND business_day = $2`,
      [merchantId, day],
    )) as { count: number; reversed: number; order_fen: string; discount_fen: string; subsidy_fen: string; merchant_funded_fen: string }[];
    return {
      date: day,
      items: rows.map(redemptionDto),
      totals: {
        count: totals.count, reversed: totals.reversed, orderAmountFen: asFen(totals.order_fen), discountFen: asFen(totals.discount_fen),
        subsidyFen: asFen(totals.subsidy_fen), merchantFundedFen: asFen(totals.merchant_funded_fen),
      },
    };
  }

  /**
   * Reads the voucher the request names and checks everything that does not need counting: the token's
   * signature and holder, the merchant's eligibility, the voucher's state and validity, the threshold.
   * A repeated Idempotency-Key returns as soon as the voucher is known (its first answer wins).
   */
  private async decide(cashier: StaffPrincipal, request: RedemptionRequestDto, key: string | undefined): Promise<Decision> {
    const reference = this.referenceOf(request);
    const subject = await this.subjects.load({
      voucherId: 'voucherId' in reference ? reference.voucherId : null, shortCode: 'shortCode' in reference ? reference.shortCode : null,
      merchantId: cashier.merchantId!, idempotencyKey: key ?? null,
    });
    if (!subject) throw new DomainError(ErrorCode.VoucherNotFound, 'No voucher has this code');
    if ('residentId' in reference && reference.residentId !== subject.resident_id) {
      throw new DomainError(ErrorCode.TokenInvalid, 'The QR code is not a valid Quan voucher code');
    }
    const rule = {
      kind: subject.kind, thresholdFen: asFen(subject.threshold_fen), discountFen: subject.discount_fen === null ? null : asFen(subject.discount_fen),
      percentOff: subject.percent_off, capFen: subject.cap_fen === null ? null : asFen(subject.cap_fen), bureauShareBp: subject.bureau_share_bp,
    };
    if (subject.earlier_id) return { subject, reference };
    if (!subject.merchant_status) throw new DomainError(ErrorCode.MerchantNotEligible, 'The cashier belongs to no merchant');
    assertMerchantEligible(
      {
        id: cashier.merchantId!, status: subject.merchant_status, categoryCode: subject.merchant_category_code,
        countyCode: subject.merchant_county_code, aboveQuota: subject.merchant_above_quota,
      },
      {
        categoryCodes: subject.category_codes, scopeCountyCode: subject.scope_county_code,
        eligibility: {
          categoryCodes: subject.eligible_category_codes, countyCodes: subject.eligible_county_codes, allowMerchantIds: subject.merchant_allow_ids,
          denyMerchantIds: subject.merchant_deny_ids, aboveQuotaOnly: subject.above_quota_only,
        },
      },
    );
    if (subject.status === VoucherStatus.Redeemed) throw await this.alreadyRedeemed(subject.voucher_id, cashier.merchantId!);
    assertVoucherRedeemable({ status: subject.status, validFrom: subject.valid_from, validUntil: subject.valid_until }, new Date());
    return { subject, reference, quote: quote(rule, request.orderAmountFen as Fen) };
  }

  private referenceOf(request: RedemptionRequestDto): Reference {
    if (request.token === undefined && request.code === undefined) {
      throw validationFailed([{ field: 'token', messages: ['Send the QR token (token) or the short code (code) of the voucher'] }]);
    }
    if (request.token !== undefined && request.code !== undefined) {
      throw validationFailed([{ field: 'code', messages: ['Send either the QR token or the short code, not both'] }]);
    }
    if (request.token !== undefined) {
      const claims = this.tokens.read(request.token);
      return { voucherId: claims.voucherId, residentId: claims.residentId, tokenExpiresAt: claims.expiresAt };
    }
    const shortCode = parseShortCode(request.code!);
    if (!shortCode) throw new DomainError(ErrorCode.ShortCodeInvalid, 'This is not a valid voucher code; check each character');
    return { shortCode };
  }

  /** A scanned token is accepted until it expires (a typed code has no expiry). */
  private assertFresh(reference: Reference): void {
    if ('tokenExpiresAt' in reference && reference.tokenExpiresAt.getTime() <= Date.now()) {
      throw new DomainError(ErrorCode.TokenExpired, 'The QR code has expired; ask the resident to refresh it');
    }
  }

  /** The first answer to a repeated Idempotency-Key, if the request is the same (voucher and amount). */
  private async repeat(cashier: StaffPrincipal, redemptionId: string, request: RedemptionRequestDto, voucherId: string): Promise<RedemptionDto> {
    const earlier = await this.load(cashier.merchantId!, redemptionId);
    if (earlier.voucher.id !== voucherId || earlier.orderAmountFen !== request.orderAmountFen) throw this.keyReused();
    return earlier;
  }

  /**
   * ALREADY_REDEEMED for the till, with when the voucher was redeemed and whether at this merchant, so the
   * cashier can tell a customer who paid here a minute ago from one showing a used voucher. Never which
   * other merchant: where a resident shops is not the cashier's business. Without details while the
   * first redemption is still being committed.
   */
  private async alreadyRedeemed(voucherId: string, merchantId: string): Promise<DomainError> {
    const [first] = (await this.dataSource.query(`SELECT redeemed_at, merchant_id FROM redemptions WHERE voucher_id = $1 AND reversed_at IS NULL`, [
      voucherId,
    ])) as { redeemed_at: Date; merchant_id: string }[];
    const details = first ? { redeemedAt: first.redeemed_at.toISOString(), atThisMerchant: first.merchant_id === merchantId } : {};
    return new DomainError(ErrorCode.AlreadyRedeemed, 'This voucher has already been redeemed', details);
  }

  private keyReused(): DomainError {
    return new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another redemption');
  }

  private async load(merchantId: string, redemptionId: string): Promise<RedemptionDto> {
    const [row] = (await this.dataSource.query(`${REDEMPTION} WHERE r.id = $1 AND r.merchant_id = $2`, [redemptionId, merchantId])) as RedemptionRow[];
    if (!row) throw new DomainError(ErrorCode.RedemptionNotFound, `No redemption ${redemptionId} at this merchant`);
    return redemptionDto(row);
  }

  private keysOf(place: RedemptionPlace, key: string): RedemptionKeys {
    return redemptionKeys(this.config.REDIS_KEY_PREFIX, place, key);
  }

  private fingerprint(voucherId: string, orderAmountFen: number): string {
    return `${voucherId}/${orderAmountFen}`;
  }

  private voucherOf(subject: Subject): RedeemedVoucherDto {
    return {
      id: subject.voucher_id, shortCode: subject.short_code, campaignId: subject.campaign_id, voucherTypeId: subject.voucher_type_id,
      name: subject.type_name, kind: subject.kind, thresholdFen: asFen(subject.threshold_fen), validUntil: subject.valid_until.toISOString(),
    };
  }
}
