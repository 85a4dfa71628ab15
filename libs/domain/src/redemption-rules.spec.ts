import { Eligibility } from './campaign-rules';
import { DomainError, ErrorCode } from './errors';
import { Fen } from './money';
import {
  assertMerchantEligible,
  assertVoucherRedeemable,
  quote,
  RedeemingMerchant,
  VoucherScope,
} from './redemption-rules';
import { DiscountKind, MerchantStatus, VoucherStatus } from './vocabulary';

const f = (n: number) => n as Fen;
const codeOf = (run: () => unknown): ErrorCode | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as DomainError).code;
  }
};

describe('quote', () => {
  const threshold = {
    kind: DiscountKind.Threshold,
    thresholdFen: f(10000),
    discountFen: f(2000),
    percentOff: null,
    capFen: null,
    bureauShareBp: 10000,
  };
  const fixed = {
    kind: DiscountKind.Fixed,
    thresholdFen: f(0),
    discountFen: f(500),
    percentOff: null,
    capFen: null,
    bureauShareBp: 10000,
  };
  const percentage = {
    kind: DiscountKind.Percentage,
    thresholdFen: f(0),
    discountFen: null,
    percentOff: 15,
    capFen: f(5000),
    bureauShareBp: 5000,
  };

  it.each([
    [
      '满100减20 on 128.00',
      threshold,
      12800,
      { discountFen: 2000, subsidyFen: 2000, merchantFundedFen: 0, payableFen: 10800 },
    ],
    [
      '满100减20 exactly at the threshold',
      threshold,
      10000,
      { discountFen: 2000, subsidyFen: 2000, merchantFundedFen: 0, payableFen: 8000 },
    ],
    [
      '直减5 on an order of 3.00 (never more than the order)',
      fixed,
      300,
      { discountFen: 300, subsidyFen: 300, merchantFundedFen: 0, payableFen: 0 },
    ],
    [
      '85折 on 99.99, rounded down to whole fen',
      percentage,
      9999,
      { discountFen: 1499, subsidyFen: 750, merchantFundedFen: 749, payableFen: 8500 },
    ],
    [
      '85折 up to its cap',
      percentage,
      100000,
      { discountFen: 5000, subsidyFen: 2500, merchantFundedFen: 2500, payableFen: 95000 },
    ],
    [
      'a 60% share rounded half up',
      { ...threshold, bureauShareBp: 6000, discountFen: f(1001) },
      12800,
      { discountFen: 1001, subsidyFen: 601, merchantFundedFen: 400, payableFen: 11799 },
    ],
  ])('%s', (_name, rule, order, expected) => {
    expect(quote(rule, f(order))).toEqual({ orderAmountFen: order, ...expected });
  });

  it('refuses an order below the threshold, an order too small for any discount, and amounts that are not whole fen', () => {
    expect(codeOf(() => quote(threshold, f(9999)))).toBe(ErrorCode.ThresholdNotMet);
    expect(codeOf(() => quote(percentage, f(6)))).toBe(ErrorCode.ThresholdNotMet);
    expect(codeOf(() => quote(fixed, f(10.5)))).toBe(ErrorCode.ValidationFailed);
    expect(codeOf(() => quote(fixed, f(0)))).toBe(ErrorCode.ValidationFailed);
  });
});

describe('assertVoucherRedeemable', () => {
  const now = new Date('2026-11-27T04:00:00Z');
  const voucher = {
    status: VoucherStatus.Claimed,
    validFrom: new Date('2026-11-20T00:00:00Z'),
    validUntil: new Date('2026-11-28T00:00:00Z'),
  };

  it.each([
    ['redeemed', { status: VoucherStatus.Redeemed }, ErrorCode.AlreadyRedeemed],
    ['expired', { status: VoucherStatus.Expired }, ErrorCode.VoucherExpired],
    ['revoked', { status: VoucherStatus.Revoked }, ErrorCode.VoucherRevoked],
    ['past its validity', { validUntil: now }, ErrorCode.VoucherExpired],
    ['not yet valid', { validFrom: new Date(now.getTime() + 1) }, ErrorCode.VoucherNotYetValid],
    ['claimed and valid', {}, undefined],
  ])('%s', (_name, change, code) => {
    expect(codeOf(() => assertVoucherRedeemable({ ...voucher, ...change }, now))).toBe(code);
  });
});

describe('assertMerchantEligible', () => {
  const merchant: RedeemingMerchant = {
    id: 'm1',
    status: MerchantStatus.Approved,
    categoryCode: 'catering',
    countyCode: 'hanbin',
    aboveQuota: false,
  };
  const open: Eligibility = {
    categoryCodes: [],
    countyCodes: [],
    allowMerchantIds: [],
    denyMerchantIds: [],
    aboveQuotaOnly: false,
  };
  const scope = (eligibility: Partial<Eligibility> = {}, rest: Partial<VoucherScope> = {}): VoucherScope => ({
    categoryCodes: [],
    scopeCountyCode: null,
    eligibility: { ...open, ...eligibility },
    ...rest,
  });

  it.each([
    ['an approved merchant of an open campaign', merchant, scope(), undefined],
    ['a suspended merchant', { ...merchant, status: MerchantStatus.Suspended }, scope(), ErrorCode.MerchantNotApproved],
    [
      'a merchant still pending review',
      { ...merchant, status: MerchantStatus.Pending },
      scope(),
      ErrorCode.MerchantNotApproved,
    ],
    [
      'a denied merchant, even when allowed by name',
      merchant,
      scope({ denyMerchantIds: ['m1'], allowMerchantIds: [] }),
      ErrorCode.MerchantNotEligible,
    ],
    [
      'a merchant outside the campaign county',
      merchant,
      scope({}, { scopeCountyCode: 'xunyang' }),
      ErrorCode.MerchantNotEligible,
    ],
    [
      'a merchant of a county not eligible',
      merchant,
      scope({ countyCodes: ['xunyang'] }),
      ErrorCode.MerchantNotEligible,
    ],
    [
      'a merchant of a category not eligible',
      merchant,
      scope({ categoryCodes: ['retail'] }),
      ErrorCode.MerchantNotEligible,
    ],
    ['a merchant below the 限上 threshold', merchant, scope({ aboveQuotaOnly: true }), ErrorCode.MerchantNotEligible],
    [
      'a merchant allowed by name despite county and category',
      merchant,
      scope({ allowMerchantIds: ['m1'], countyCodes: ['xunyang'], categoryCodes: ['retail'] }),
      undefined,
    ],
    [
      'a voucher type of another category',
      merchant,
      scope({}, { categoryCodes: ['retail'] }),
      ErrorCode.CategoryNotEligible,
    ],
    [
      'a voucher type of the merchant category',
      merchant,
      scope({}, { categoryCodes: ['catering', 'retail'] }),
      undefined,
    ],
  ])('%s', (_name, who, where, code) => {
    expect(codeOf(() => assertMerchantEligible(who, where))).toBe(code);
  });
});
