import { DiscountRule, Eligibility } from './campaign-rules';
import { DomainError, ErrorCode } from './errors';
import { Fen } from './money';
import { DiscountKind, MerchantStatus, VoucherStatus } from './vocabulary';

/**
 * What a cashier may redeem, and for how much: pure rules over plain snapshots of the voucher, its type,
 * its campaign and the merchant. Each refusal is a DomainError with its own code; nothing here counts
 * (budgets and daily caps are counted atomically in Redis and backed by Postgres).
 */

export interface Quote {
  orderAmountFen: Fen;
  discountFen: Fen;
  /** The bureau's share of the discount (what settlement pays the merchant). */
  subsidyFen: Fen;
  /** The merchant's own share of the discount. */
  merchantFundedFen: Fen;
  /** What the resident pays. */
  payableFen: Fen;
}

export interface RedeemableVoucher {
  status: VoucherStatus;
  validFrom: Date;
  validUntil: Date;
}

export interface RedeemingMerchant {
  id: string;
  status: MerchantStatus;
  categoryCode: string;
  countyCode: string;
  aboveQuota: boolean;
}

export interface VoucherScope {
  /** Categories the voucher type is usable in; empty: every category. */
  categoryCodes: string[];
  /** The campaign's scope (null: city-wide) and merchant eligibility. */
  scopeCountyCode: string | null;
  eligibility: Eligibility;
}

const BP = 10000n;

/**
 * The discount of a voucher on an order: 满减 gives its discount from the threshold up, 直减 its
 * discount (never more than the order), 折扣 its percentage rounded down to whole fen, up to its cap.
 * The bureau's share is rounded half up (四舍五入) and never exceeds the discount; the merchant funds the rest.
 */
export function quote(rule: DiscountRule & { bureauShareBp: number }, orderAmountFen: Fen): Quote {
  if (!Number.isSafeInteger(orderAmountFen) || orderAmountFen <= 0) {
    throw new DomainError(ErrorCode.ValidationFailed, 'orderAmountFen must be a whole number of fen above 0', {
      field: 'orderAmountFen',
    });
  }
  if (orderAmountFen < rule.thresholdFen) {
    throw new DomainError(
      ErrorCode.ThresholdNotMet,
      `This voucher needs an order of at least ${rule.thresholdFen} fen`,
      {
        thresholdFen: rule.thresholdFen,
      },
    );
  }
  let discount: number;
  switch (rule.kind) {
    case DiscountKind.Threshold:
    case DiscountKind.Fixed:
      discount = Math.min(rule.discountFen ?? 0, orderAmountFen);
      break;
    case DiscountKind.Percentage:
      discount = Math.min(Number((BigInt(orderAmountFen) * BigInt(rule.percentOff ?? 0)) / 100n), rule.capFen ?? 0);
      break;
    default:
      throw new DomainError(ErrorCode.Internal, `unknown discount kind ${String(rule.kind)}`);
  }
  if (discount <= 0) {
    throw new DomainError(ErrorCode.ThresholdNotMet, 'The order is too small for this voucher to give a discount', {
      thresholdFen: rule.thresholdFen,
    });
  }
  const subsidy = Number((BigInt(discount) * BigInt(rule.bureauShareBp) * 2n + BP) / (2n * BP));
  return {
    orderAmountFen,
    discountFen: discount as Fen,
    subsidyFen: subsidy as Fen,
    merchantFundedFen: (discount - subsidy) as Fen,
    payableFen: (orderAmountFen - discount) as Fen,
  };
}

/** The voucher is claimed and inside its validity window at `now`. */
export function assertVoucherRedeemable(voucher: RedeemableVoucher, now: Date): void {
  switch (voucher.status) {
    case VoucherStatus.Redeemed:
      throw new DomainError(ErrorCode.AlreadyRedeemed, 'This voucher has already been redeemed');
    case VoucherStatus.Expired:
      throw new DomainError(ErrorCode.VoucherExpired, 'This voucher has expired');
    case VoucherStatus.Revoked:
      throw new DomainError(ErrorCode.VoucherRevoked, 'This voucher has been revoked');
    case VoucherStatus.Claimed:
      break;
    default:
      throw new DomainError(ErrorCode.Internal, `unknown voucher status ${String(voucher.status)}`);
  }
  if (now >= voucher.validUntil)
    throw new DomainError(ErrorCode.VoucherExpired, `This voucher expired at ${voucher.validUntil.toISOString()}`);
  if (now < voucher.validFrom) {
    throw new DomainError(
      ErrorCode.VoucherNotYetValid,
      `This voucher is valid from ${voucher.validFrom.toISOString()}`,
      {
        validFrom: voucher.validFrom.toISOString(),
      },
    );
  }
}

/**
 * The merchant may accept vouchers of this campaign and type: approved (not suspended), not denied,
 * then allowed by name or by the campaign's county scope, eligible counties, categories and 限上 rule;
 * and the voucher type is usable in the merchant's category.
 */
export function assertMerchantEligible(merchant: RedeemingMerchant, scope: VoucherScope): void {
  if (merchant.status !== MerchantStatus.Approved) {
    // A status changes (a suspended merchant is reinstated): a conflict with the current state, not a rule of the campaign.
    throw new DomainError(
      ErrorCode.MerchantNotApproved,
      `The merchant is ${merchant.status} and cannot accept vouchers`,
      { merchantStatus: merchant.status },
    );
  }
  const { eligibility } = scope;
  const refuse = (reason: string, message: string): never => {
    throw new DomainError(ErrorCode.MerchantNotEligible, message, { reason });
  };
  if (eligibility.denyMerchantIds.includes(merchant.id))
    refuse('denied', 'This merchant does not take part in the campaign');
  if (!eligibility.allowMerchantIds.includes(merchant.id)) {
    if (scope.scopeCountyCode !== null && merchant.countyCode !== scope.scopeCountyCode)
      refuse('county', 'The campaign is limited to another county');
    if (eligibility.countyCodes.length > 0 && !eligibility.countyCodes.includes(merchant.countyCode))
      refuse('county', 'The campaign does not include this county');
    if (eligibility.categoryCodes.length > 0 && !eligibility.categoryCodes.includes(merchant.categoryCode))
      refuse('category', 'The campaign does not include this merchant category');
    if (eligibility.aboveQuotaOnly && !merchant.aboveQuota)
      refuse('above_quota', 'The campaign admits only 限上 merchants');
  }
  if (scope.categoryCodes.length > 0 && !scope.categoryCodes.includes(merchant.categoryCode)) {
    throw new DomainError(
      ErrorCode.CategoryNotEligible,
      `This voucher cannot be used in the merchant's category ${merchant.categoryCode}`,
      {
        categoryCodes: scope.categoryCodes,
      },
    );
  }
}
