import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { StaffPrincipal, VoucherTokens } from '@quan/auth';
import { commitDecided, CounterRuns, Holder, RedemptionCounters, RedemptionPlace } from '@quan/counters';
import {
  assertMerchantEligible,
  assertVoucherRedeemable,
  businessDay,
  DomainError,
  ErrorCode,
  Fen,
  parseShortCode,
  quote,
  Quote,
  VoucherStatus,
} from '@quan/domain';
import { validationFailed } from '@quan/platform';
import { asFen, RedemptionQueries } from './redemption-queries';
import { NewRedemption, RedemptionRefused, RedemptionWriter } from './redemption-writer';
import { QuoteDto, RedeemedVoucherDto, RedemptionDto, RedemptionRequestDto } from './redemptions.dto';
import { Subject, SubjectLoader } from './subject-loader';

/** What a request names: a QR token or a typed short code. */
type Reference = { voucherId: string; residentId: string; tokenExpiresAt: Date } | { shortCode: string };

interface Decision {
  subject: Subject;
  reference: Reference;
  /** Absent when the Idempotency-Key was used before: the first answer is repeated instead. */
  quote?: Quote;
}

/** One redemption being decided: who asks, what for, and the decision made for it. */
interface Attempt {
  cashier: StaffPrincipal;
  request: RedemptionRequestDto;
  subject: Subject;
  redemption: NewRedemption;
  place: RedemptionPlace;
}

/** A redemption decided in Redis that has not reached Postgres after this long is taken as abandoned. */
const ABANDONED_AFTER_MS = 60_000;

const REFUSALS: Record<string, [ErrorCode, string]> = {
  BUDGET_EXHAUSTED: [ErrorCode.BudgetExhausted, "The campaign's subsidy budget is used up"],
  MERCHANT_LIMIT_REACHED: [ErrorCode.MerchantLimitReached, "The merchant has reached today's limit for this campaign"],
};

/**
 * Redemption (核销) at the till: the cashier's quote is computed by the rules in libs/domain; the
 * confirmation is decided atomically in Redis (RedemptionCounters: voucher, campaign budget, merchant's
 * daily caps, idempotency), committed in Postgres with its outbox message (RedemptionWriter), and only
 * then answered. Anything decided but not committed is given back.
 */
@Injectable()
export class RedemptionDecider {
  constructor(
    private readonly dataSource: DataSource,
    private readonly subjects: SubjectLoader,
    private readonly writer: RedemptionWriter,
    private readonly tokens: VoucherTokens,
    private readonly counters: RedemptionCounters,
    private readonly queries: RedemptionQueries,
    private readonly runs: CounterRuns,
  ) {}

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

    const runId = await this.runs.of(subject.campaign_id);
    const now = new Date();
    const redemption: NewRedemption = {
      id: randomUUID(),
      voucherId: subject.voucher_id,
      campaignId: subject.campaign_id,
      voucherTypeId: subject.voucher_type_id,
      residentId: subject.resident_id,
      merchantId: cashier.merchantId!,
      cashierId: cashier.id,
      orderAmountFen: result.orderAmountFen,
      discountFen: result.discountFen,
      subsidyFen: result.subsidyFen,
      merchantFundedFen: result.merchantFundedFen,
      businessDay: businessDay(now),
      redeemedAt: now,
      idempotencyKey: key,
    };
    const attempt: Attempt = { cashier, request, subject, redemption, place: placeOf(redemption) };
    const decision = {
      place: attempt.place,
      holder: {
        redemptionId: redemption.id,
        decidedAtMs: now.getTime(),
        subsidyFen: redemption.subsidyFen,
        merchantId: redemption.merchantId,
        businessDay: redemption.businessDay,
        runId,
        idempotencyKey: key,
      },
      dailyLimit: subject.merchant_daily_redemption_limit ?? 0,
      dailyCapFen: Number(subject.merchant_daily_subsidy_cap_fen ?? 0),
      fingerprint: `${subject.voucher_id}/${request.orderAmountFen}`,
      keepVoucherUntilMs: subject.valid_until.getTime() + 86400000,
    };
    const decideInRedis = async () => {
      try {
        return await this.counters.decide(decision);
      } catch (error) {
        // The script may have run before the reply was lost (a command timeout): give its decision back.
        await this.release(attempt).catch(() => undefined);
        throw error;
      }
    };
    for (let tries = 0; ; tries += 1) {
      let decided = await decideInRedis();
      if (decided.status === 'FENCED') {
        // The run of the server holding the campaign now (a restart or a failover since): rebuild under it.
        decision.holder.runId = decided.runId;
        this.runs.saw(subject.campaign_id, decided.runId);
        await this.counters.rebuild({ campaignId: subject.campaign_id, runId: decided.runId });
        decided = await decideInRedis();
      }
      switch (decided.status) {
        case 'OK':
          return this.commit(attempt);
        case 'IN_PROGRESS':
          if (!decided.sameRequest) throw this.keyReused();
          throw this.inProgress();
        case 'FENCED':
          throw new DomainError(
            ErrorCode.Unavailable,
            'The campaign counters are being rebuilt after a restart; retry shortly',
          );
        case 'ALREADY_REDEEMED': {
          const other = decided.holder;
          // The first request with this key, still being committed after its in-flight record expired.
          if (other.merchantId === redemption.merchantId && other.idempotencyKey === key) throw this.inProgress();
          if (tries === 0 && subject.status === VoucherStatus.Claimed && (await this.releaseAbandoned(subject, other)))
            continue;
          throw await this.alreadyRedeemed(subject.voucher_id, redemption.merchantId);
        }
        default: {
          const [code, message] = REFUSALS[decided.status] ?? [
            ErrorCode.Internal,
            `unexpected redemption decision ${decided.status}`,
          ];
          throw new DomainError(
            code,
            message,
            decided.status === 'MERCHANT_LIMIT_REACHED' ? { limit: decided.limit } : {},
          );
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
    const [row] = (await this.dataSource.query(`SELECT reversed_at IS NULL AS active FROM redemptions WHERE id = $1`, [
      other.redemptionId,
    ])) as {
      active: boolean;
    }[];
    if (row?.active) return false;
    if (!row && Date.now() - other.decidedAtMs < ABANDONED_AFTER_MS) return false;
    const held = {
      place: {
        campaignId: subject.campaign_id,
        merchantId: other.merchantId,
        businessDay: other.businessDay,
        voucherId: subject.voucher_id,
      },
      redemptionId: other.redemptionId,
      idempotencyKey: other.idempotencyKey,
    };
    if (row) await this.counters.giveBackReversal({ ...held, subsidyFen: other.subsidyFen });
    else await this.counters.release(held);
    return true;
  }

  /** Gives back a decision of this attempt that never committed. */
  private release({ place, redemption }: Attempt): Promise<number> {
    return this.counters.release({ place, redemptionId: redemption.id, idempotencyKey: redemption.idempotencyKey });
  }

  private async commit(attempt: Attempt): Promise<RedemptionDto> {
    const { cashier, redemption, subject, request } = attempt;
    const redeemed: RedemptionDto = {
      orderAmountFen: redemption.orderAmountFen,
      discountFen: redemption.discountFen,
      subsidyFen: redemption.subsidyFen,
      merchantFundedFen: redemption.merchantFundedFen,
      payableFen: (redemption.orderAmountFen - redemption.discountFen) as Fen,
      id: redemption.id,
      merchantId: redemption.merchantId,
      cashierId: redemption.cashierId,
      voucher: this.voucherOf(subject),
      businessDay: redemption.businessDay,
      redeemedAt: redemption.redeemedAt.toISOString(),
      reversedAt: null,
      reversalBusinessDay: null,
    };
    const result = await commitDecided({
      commit: () => this.writer.write(redemption),
      mayHaveCommitted: (error) => !(error instanceof RedemptionRefused),
      isCommitted: () => this.exists(redemption.id),
    });
    switch (result.outcome) {
      case 'committed':
        return redeemed;
      case 'unknown':
        // Postgres cannot say: the decision stays counted (too high is the safe side) until
        // releaseAbandoned finds it never committed.
        throw result.error;
      case 'not-committed':
        await this.release(attempt).catch(() => undefined);
        throw result.error;
    }
    const error = result.error as RedemptionRefused;
    await this.release(attempt).catch(() => undefined);
    switch (error.reason) {
      case 'duplicate_key': {
        const [earlier] = (await this.dataSource.query(
          `SELECT id FROM redemptions WHERE merchant_id = $1 AND idempotency_key = $2`,
          [redemption.merchantId, redemption.idempotencyKey],
        )) as { id: string }[];
        return this.repeat(cashier, earlier.id, request, redemption.voucherId);
      }
      case 'budget':
        throw new DomainError(ErrorCode.BudgetExhausted, "The campaign's subsidy budget is used up");
      case 'already_redeemed':
      case 'voucher_state': {
        // Redis did not know (its voucher record was lost): Postgres has the voucher's real state.
        const [voucher] = (await this.dataSource.query(
          `SELECT status, valid_from, valid_until FROM vouchers WHERE id = $1`,
          [redemption.voucherId],
        )) as {
          status: VoucherStatus;
          valid_from: Date;
          valid_until: Date;
        }[];
        assertVoucherRedeemable(
          { status: voucher.status, validFrom: voucher.valid_from, validUntil: voucher.valid_until },
          redemption.redeemedAt,
        );
        throw await this.alreadyRedeemed(redemption.voucherId, redemption.merchantId);
      }
    }
  }

  private async exists(redemptionId: string): Promise<boolean> {
    const rows = (await this.dataSource.query(`SELECT 1 FROM redemptions WHERE id = $1`, [redemptionId])) as unknown[];
    return rows.length > 0;
  }

  private inProgress(): DomainError {
    return new DomainError(
      ErrorCode.RequestInProgress,
      'The first request with this Idempotency-Key is still being processed',
    );
  }

  /**
   * Reads the voucher the request names and checks everything that does not need counting: the token's
   * signature and holder, the merchant's eligibility, the voucher's state and validity, the threshold.
   * A repeated Idempotency-Key returns as soon as the voucher is known (its first answer wins).
   */
  private async decide(
    cashier: StaffPrincipal,
    request: RedemptionRequestDto,
    key: string | undefined,
  ): Promise<Decision> {
    const reference = this.referenceOf(request);
    const subject = await this.subjects.load({
      voucherId: 'voucherId' in reference ? reference.voucherId : null,
      shortCode: 'shortCode' in reference ? reference.shortCode : null,
      merchantId: cashier.merchantId!,
      idempotencyKey: key ?? null,
    });
    if (!subject) throw new DomainError(ErrorCode.VoucherNotFound, 'No voucher has this code');
    if ('residentId' in reference && reference.residentId !== subject.resident_id) {
      throw new DomainError(ErrorCode.TokenInvalid, 'The QR code is not a valid Quan voucher code');
    }
    const rule = {
      kind: subject.kind,
      thresholdFen: asFen(subject.threshold_fen),
      discountFen: subject.discount_fen === null ? null : asFen(subject.discount_fen),
      percentOff: subject.percent_off,
      capFen: subject.cap_fen === null ? null : asFen(subject.cap_fen),
      bureauShareBp: subject.bureau_share_bp,
    };
    if (subject.earlier_id) return { subject, reference };
    if (!subject.merchant_status)
      throw new DomainError(ErrorCode.MerchantNotEligible, 'The cashier belongs to no merchant');
    assertMerchantEligible(
      {
        id: cashier.merchantId!,
        status: subject.merchant_status,
        categoryCode: subject.merchant_category_code,
        countyCode: subject.merchant_county_code,
        aboveQuota: subject.merchant_above_quota,
      },
      {
        categoryCodes: subject.category_codes,
        scopeCountyCode: subject.scope_county_code,
        eligibility: {
          categoryCodes: subject.eligible_category_codes,
          countyCodes: subject.eligible_county_codes,
          allowMerchantIds: subject.merchant_allow_ids,
          denyMerchantIds: subject.merchant_deny_ids,
          aboveQuotaOnly: subject.above_quota_only,
        },
      },
    );
    if (subject.status === VoucherStatus.Redeemed)
      throw await this.alreadyRedeemed(subject.voucher_id, cashier.merchantId!);
    assertVoucherRedeemable(
      { status: subject.status, validFrom: subject.valid_from, validUntil: subject.valid_until },
      new Date(),
    );
    return { subject, reference, quote: quote(rule, request.orderAmountFen as Fen) };
  }

  private referenceOf(request: RedemptionRequestDto): Reference {
    if (request.token === undefined && request.code === undefined) {
      throw validationFailed([
        { field: 'token', messages: ['Send the QR token (token) or the short code (code) of the voucher'] },
      ]);
    }
    if (request.token !== undefined && request.code !== undefined) {
      throw validationFailed([{ field: 'code', messages: ['Send either the QR token or the short code, not both'] }]);
    }
    if (request.token !== undefined) {
      const claims = this.tokens.read(request.token);
      return { voucherId: claims.voucherId, residentId: claims.residentId, tokenExpiresAt: claims.expiresAt };
    }
    const shortCode = parseShortCode(request.code!);
    if (!shortCode)
      throw new DomainError(ErrorCode.ShortCodeInvalid, 'This is not a valid voucher code; check each character');
    return { shortCode };
  }

  /** A scanned token is accepted until it expires (a typed code has no expiry). */
  private assertFresh(reference: Reference): void {
    if ('tokenExpiresAt' in reference && reference.tokenExpiresAt.getTime() <= Date.now()) {
      throw new DomainError(ErrorCode.TokenExpired, 'The QR code has expired; ask the resident to refresh it');
    }
  }

  /** The first answer to a repeated Idempotency-Key, if the request is the same (voucher and amount). */
  private async repeat(
    cashier: StaffPrincipal,
    redemptionId: string,
    request: RedemptionRequestDto,
    voucherId: string,
  ): Promise<RedemptionDto> {
    const earlier = await this.queries.load(cashier.merchantId!, redemptionId);
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
    const [first] = (await this.dataSource.query(
      `SELECT redeemed_at, merchant_id FROM redemptions WHERE voucher_id = $1 AND reversed_at IS NULL`,
      [voucherId],
    )) as { redeemed_at: Date; merchant_id: string }[];
    const details = first
      ? { redeemedAt: first.redeemed_at.toISOString(), atThisMerchant: first.merchant_id === merchantId }
      : {};
    return new DomainError(ErrorCode.AlreadyRedeemed, 'This voucher has already been redeemed', details);
  }

  private keyReused(): DomainError {
    return new DomainError(ErrorCode.IdempotencyKeyReused, 'This Idempotency-Key was used for another redemption');
  }

  private voucherOf(subject: Subject): RedeemedVoucherDto {
    return {
      id: subject.voucher_id,
      shortCode: subject.short_code,
      campaignId: subject.campaign_id,
      voucherTypeId: subject.voucher_type_id,
      name: subject.type_name,
      kind: subject.kind,
      thresholdFen: asFen(subject.threshold_fen),
      validUntil: subject.valid_until.toISOString(),
    };
  }
}

function placeOf(redemption: NewRedemption): RedemptionPlace {
  return {
    campaignId: redemption.campaignId,
    merchantId: redemption.merchantId,
    businessDay: redemption.businessDay,
    voucherId: redemption.voucherId,
  };
}
