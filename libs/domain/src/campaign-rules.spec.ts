import {
  assertNotEarlier,
  assertNotLess,
  assertPlanComplete,
  CampaignPlan,
  KnownReferences,
  maxBureauSubsidyFen,
  validateCampaignPlan,
  validateDiscountRule,
  VoucherRule,
  worstCaseSubsidyFen,
} from './campaign-rules';
import { DomainError, ErrorCode } from './errors';
import { Fen } from './money';
import { DiscountKind, RoundMode, ValidityKind } from './vocabulary';

const at = (iso: string) => new Date(`${iso}+08:00`);
const f = (n: number) => n as Fen;

const known: KnownReferences = {
  categoryCodes: new Set(['catering', 'retail', 'appliances']),
  countyCodes: new Set(['hanbin', 'xunyang']),
  merchantCounties: new Map([
    ['m-hanbin', 'hanbin'],
    ['m-xunyang', 'xunyang'],
  ]),
};

const voucher = (id: string, overrides: Partial<VoucherRule> = {}): VoucherRule => ({
  id,
  kind: DiscountKind.Threshold,
  thresholdFen: f(10000),
  discountFen: f(2000),
  percentOff: null,
  capFen: null,
  categoryCodes: [],
  validityKind: ValidityKind.DaysFromClaim,
  validFrom: null,
  validUntil: null,
  validDays: 7,
  bureauShareBp: 10000,
  ...overrides,
});

/** A valid plan: 满100减20, two first-come rounds of 100 each, budget exactly the worst case (4,000 yuan). */
function plan(change: (p: CampaignPlan) => void = () => undefined): CampaignPlan {
  const p: CampaignPlan = {
    budgetFen: f(400000),
    issueBeyondBudget: false,
    startsAt: at('2026-05-01T00:00:00'),
    endsAt: at('2026-05-31T00:00:00'),
    scopeCountyCode: null,
    limits: {
      perPerson: 2,
      perPersonPerRound: 1,
      perPersonPerDay: 1,
      perPersonPerCategory: {},
      merchantDailyRedemptions: null,
      merchantDailySubsidyCapFen: null,
    },
    eligibility: {
      categoryCodes: [],
      countyCodes: [],
      allowMerchantIds: [],
      denyMerchantIds: [],
      aboveQuotaOnly: false,
    },
    voucherTypes: [voucher('v20')],
    rounds: [
      {
        id: 'r1',
        mode: RoundMode.FirstCome,
        opensAt: at('2026-05-01T10:00:00'),
        closesAt: at('2026-05-02T10:00:00'),
        drawAt: null,
        rollForwardToId: 'r2',
        offers: [{ name: 'A', stock: 100, items: [{ voucherTypeId: 'v20', quantity: 1 }] }],
      },
      {
        id: 'r2',
        mode: RoundMode.FirstCome,
        opensAt: at('2026-05-08T10:00:00'),
        closesAt: at('2026-05-09T10:00:00'),
        drawAt: null,
        rollForwardToId: null,
        offers: [{ name: 'A', stock: 100, items: [{ voucherTypeId: 'v20', quantity: 1 }] }],
      },
    ],
  };
  change(p);
  return p;
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
}

describe('campaign configuration rules', () => {
  it('accepts a valid plan and returns its worst-case subsidy', () => {
    expect(validateCampaignPlan(plan(), known)).toBe(400000n);
  });

  it.each<[string, (p: CampaignPlan) => void, ErrorCode]>([
    ['a campaign that ends before it starts', (p) => (p.endsAt = p.startsAt), ErrorCode.CampaignWindowInvalid],
    ['a budget of zero', (p) => (p.budgetFen = f(0)), ErrorCode.ValidationFailed],
    ['an unknown scope county', (p) => (p.scopeCountyCode = 'atlantis'), ErrorCode.UnknownReference],
    [
      'a per-round limit above the campaign limit',
      (p) => (p.limits.perPersonPerRound = 3),
      ErrorCode.LimitsInconsistent,
    ],
    ['a per-day limit above the campaign limit', (p) => (p.limits.perPersonPerDay = 5), ErrorCode.LimitsInconsistent],
    [
      'a category limit above the campaign limit',
      (p) => (p.limits.perPersonPerCategory = { catering: 3 }),
      ErrorCode.LimitsInconsistent,
    ],
    [
      'a category limit of an unknown category',
      (p) => (p.limits.perPersonPerCategory = { shoes: 1 }),
      ErrorCode.UnknownReference,
    ],
    ['an unknown eligible category', (p) => (p.eligibility.categoryCodes = ['shoes']), ErrorCode.UnknownReference],
    ['an unknown eligible county', (p) => (p.eligibility.countyCodes = ['atlantis']), ErrorCode.UnknownReference],
    [
      'a county campaign admitting another county',
      (p) => {
        p.scopeCountyCode = 'hanbin';
        p.eligibility.countyCodes = ['xunyang'];
      },
      ErrorCode.EligibilityOutsideScope,
    ],
    [
      'a county campaign allowing a merchant of another county',
      (p) => {
        p.scopeCountyCode = 'hanbin';
        p.eligibility.allowMerchantIds = ['m-xunyang'];
      },
      ErrorCode.EligibilityOutsideScope,
    ],
    [
      'an unknown merchant on the deny list',
      (p) => (p.eligibility.denyMerchantIds = ['m-nowhere']),
      ErrorCode.UnknownReference,
    ],
    [
      'a merchant both allowed and denied',
      (p) => {
        p.eligibility.allowMerchantIds = ['m-hanbin'];
        p.eligibility.denyMerchantIds = ['m-hanbin'];
      },
      ErrorCode.EligibilityConflict,
    ],
    [
      'a 满减 threshold equal to its discount',
      (p) => (p.voucherTypes[0].thresholdFen = f(2000)),
      ErrorCode.ThresholdNotAboveDiscount,
    ],
    ['a 满减 with a percentage', (p) => (p.voucherTypes[0].percentOff = 10), ErrorCode.DiscountRuleInvalid],
    ['a bureau share above 100%', (p) => (p.voucherTypes[0].bureauShareBp = 10001), ErrorCode.SubsidyShareInvalid],
    [
      'a voucher category outside the eligible categories',
      (p) => {
        p.eligibility.categoryCodes = ['catering'];
        p.voucherTypes[0].categoryCodes = ['retail'];
      },
      ErrorCode.VoucherCategoryNotEligible,
    ],
    ['an unknown voucher category', (p) => (p.voucherTypes[0].categoryCodes = ['shoes']), ErrorCode.UnknownReference],
    ['validity in days without days', (p) => (p.voucherTypes[0].validDays = null), ErrorCode.ValidityInvalid],
    [
      'a fixed validity window that ends before it starts',
      (p) =>
        Object.assign(p.voucherTypes[0], {
          validityKind: ValidityKind.FixedWindow,
          validDays: null,
          validFrom: at('2026-05-10T00:00:00'),
          validUntil: at('2026-05-05T00:00:00'),
        }),
      ErrorCode.ValidityInvalid,
    ],
    [
      'a fixed validity window beyond the campaign',
      (p) =>
        Object.assign(p.voucherTypes[0], {
          validityKind: ValidityKind.FixedWindow,
          validDays: null,
          validFrom: at('2026-05-10T00:00:00'),
          validUntil: at('2026-06-30T00:00:00'),
        }),
      ErrorCode.ValidityOutsideCampaign,
    ],
    [
      'a round that closes before it opens',
      (p) => (p.rounds[0].closesAt = p.rounds[0].opensAt),
      ErrorCode.RoundWindowInvalid,
    ],
    [
      'a round that opens before the campaign',
      (p) => (p.rounds[0].opensAt = at('2026-04-30T10:00:00')),
      ErrorCode.RoundOutsideCampaign,
    ],
    [
      'a round that closes after the campaign',
      (p) => (p.rounds[1].closesAt = at('2026-06-01T10:00:00')),
      ErrorCode.RoundOutsideCampaign,
    ],
    [
      'two rounds of the same voucher type that overlap',
      (p) => {
        p.rounds[1].opensAt = at('2026-05-02T09:00:00');
        p.rounds[0].rollForwardToId = null;
      },
      ErrorCode.RoundsOverlap,
    ],
    ['a lottery round without a draw', (p) => (p.rounds[1].mode = RoundMode.Lottery), ErrorCode.LotteryDrawInvalid],
    [
      'a lottery draw before registration closes',
      (p) => {
        p.rounds[1].mode = RoundMode.Lottery;
        p.rounds[1].drawAt = at('2026-05-09T09:00:00');
      },
      ErrorCode.LotteryDrawInvalid,
    ],
    [
      'a draw on a first-come round',
      (p) => (p.rounds[1].drawAt = at('2026-05-10T09:00:00')),
      ErrorCode.LotteryDrawInvalid,
    ],
    ['a round without offers', (p) => (p.rounds[1].offers = []), ErrorCode.OfferInvalid],
    ['an offer without items', (p) => (p.rounds[1].offers[0].items = []), ErrorCode.OfferInvalid],
    [
      'two offers of one round with the same name',
      (p) => p.rounds[1].offers.push({ ...p.rounds[1].offers[0], stock: 0 }),
      ErrorCode.OfferInvalid,
    ],
    [
      'an offer listing a voucher type twice',
      (p) => p.rounds[1].offers[0].items.push({ voucherTypeId: 'v20', quantity: 1 }),
      ErrorCode.OfferInvalid,
    ],
    [
      'an offer of 101 vouchers of a type',
      (p) => (p.rounds[1].offers[0].items[0].quantity = 101),
      ErrorCode.OfferInvalid,
    ],
    [
      'an offer of a voucher type of no campaign',
      (p) => (p.rounds[1].offers[0].items[0].voucherTypeId = 'elsewhere'),
      ErrorCode.UnknownReference,
    ],
    ['a roll-forward into the same round', (p) => (p.rounds[0].rollForwardToId = 'r1'), ErrorCode.RollForwardInvalid],
    [
      'a roll-forward into an earlier round',
      (p) => {
        p.rounds[0].rollForwardToId = null;
        p.rounds[1].rollForwardToId = 'r1';
      },
      ErrorCode.RollForwardInvalid,
    ],
    [
      'a roll-forward into a round without a matching offer',
      (p) => (p.rounds[1].offers[0].items[0].quantity = 2),
      ErrorCode.RollForwardInvalid,
    ],
    [
      'stock whose worst-case subsidy exceeds the budget',
      (p) => (p.rounds[1].offers[0].stock = 101),
      ErrorCode.BudgetExceeded,
    ],
  ])('rejects %s', (_name, change, code) => {
    expect(codeOf(() => validateCampaignPlan(plan(change), known))).toBe(code);
  });

  it('names the field and the figures when the budget is exceeded', () => {
    try {
      validateCampaignPlan(
        plan((p) => (p.budgetFen = f(399999))),
        known,
      );
      throw new Error('expected BUDGET_EXCEEDED');
    } catch (error) {
      expect(error).toMatchObject({
        code: ErrorCode.BudgetExceeded,
        details: { field: 'budgetFen', worstCaseSubsidyFen: 400000, budgetFen: 399999 },
      });
    }
  });

  it('refuses a worst case beyond the largest exact amount, even when issuing beyond the budget', () => {
    const huge = plan((p) => {
      p.issueBeyondBudget = true;
      p.rounds[1].offers[0].stock = 2_000_000_000;
      p.voucherTypes[0] = voucher('v20', { thresholdFen: f(9_000_000_001), discountFen: f(9_000_000_000) });
    });
    expect(codeOf(() => validateCampaignPlan(huge, known))).toBe(ErrorCode.BudgetExceeded);
  });

  it('lets a campaign that issues beyond its budget have a worst case above it (redemptions stop at the budget)', () => {
    expect(
      validateCampaignPlan(
        plan((p) => {
          p.budgetFen = f(100000);
          p.issueBeyondBudget = true;
        }),
        known,
      ),
    ).toBe(400000n);
  });

  it('accepts a lottery round drawn after it closes, and a county campaign admitting its own merchants', () => {
    const lottery = plan((p) => {
      p.scopeCountyCode = 'hanbin';
      p.eligibility = {
        categoryCodes: ['catering'],
        countyCodes: ['hanbin'],
        allowMerchantIds: ['m-hanbin'],
        denyMerchantIds: [],
        aboveQuotaOnly: true,
      };
      p.voucherTypes[0].categoryCodes = ['catering'];
      p.rounds[1].mode = RoundMode.Lottery;
      p.rounds[1].drawAt = p.rounds[1].closesAt;
    });
    expect(validateCampaignPlan(lottery, known)).toBe(400000n);
  });
});

describe('discount rules', () => {
  const rule = (overrides: Partial<VoucherRule>) => ({ ...voucher('v'), ...overrides });

  it.each<[string, Partial<VoucherRule>, ErrorCode | undefined]>([
    ['满100减20', {}, undefined],
    ['满20减20', { thresholdFen: f(2000) }, ErrorCode.ThresholdNotAboveDiscount],
    ['满减 without a discount', { discountFen: null }, ErrorCode.DiscountRuleInvalid],
    ['直减 5 yuan', { kind: DiscountKind.Fixed, thresholdFen: f(0), discountFen: f(500) }, undefined],
    [
      '直减 with a threshold',
      { kind: DiscountKind.Fixed, thresholdFen: f(100), discountFen: f(500) },
      ErrorCode.DiscountRuleInvalid,
    ],
    ['直减 of 0', { kind: DiscountKind.Fixed, thresholdFen: f(0), discountFen: f(0) }, ErrorCode.DiscountRuleInvalid],
    [
      '15% off capped at 50 yuan',
      { kind: DiscountKind.Percentage, thresholdFen: f(0), discountFen: null, percentOff: 15, capFen: f(5000) },
      undefined,
    ],
    [
      '0% off',
      { kind: DiscountKind.Percentage, discountFen: null, percentOff: 0, capFen: f(5000) },
      ErrorCode.PercentOffOutOfRange,
    ],
    [
      '100% off',
      { kind: DiscountKind.Percentage, discountFen: null, percentOff: 100, capFen: f(5000) },
      ErrorCode.PercentOffOutOfRange,
    ],
    [
      '12.5% off',
      { kind: DiscountKind.Percentage, discountFen: null, percentOff: 12.5, capFen: f(5000) },
      ErrorCode.PercentOffOutOfRange,
    ],
    [
      'a percentage without a cap',
      { kind: DiscountKind.Percentage, discountFen: null, percentOff: 15, capFen: null },
      ErrorCode.PercentCapRequired,
    ],
    [
      'a percentage with a fixed discount too',
      { kind: DiscountKind.Percentage, discountFen: f(100), percentOff: 15, capFen: f(5000) },
      ErrorCode.DiscountRuleInvalid,
    ],
  ])('%s', (_name, overrides, code) => {
    expect(codeOf(() => validateDiscountRule(rule(overrides)))).toBe(code);
  });
});

describe('worst-case subsidy', () => {
  it('counts every voucher of every pack at its largest discount, times stock', () => {
    const pack = plan((p) => {
      p.voucherTypes = [
        voucher('v5', { thresholdFen: f(3000), discountFen: f(500) }),
        voucher('v10', { thresholdFen: f(6000), discountFen: f(1000) }),
        voucher('v20'),
      ];
      p.rounds = [
        {
          ...p.rounds[0],
          rollForwardToId: null,
          offers: [
            {
              name: '券包',
              stock: 1000,
              items: [
                { voucherTypeId: 'v5', quantity: 2 },
                { voucherTypeId: 'v10', quantity: 2 },
                { voucherTypeId: 'v20', quantity: 1 },
              ],
            },
          ],
        },
      ];
    });
    // 2×5 + 2×10 + 1×20 = 50 yuan a pack, 1,000 packs
    expect(worstCaseSubsidyFen(pack)).toBe(5_000_000n);
  });

  it('takes the cap of a percentage, and only the bureau share, rounded up to whole fen', () => {
    const percentage = voucher('p', {
      kind: DiscountKind.Percentage,
      thresholdFen: f(0),
      discountFen: null,
      percentOff: 15,
      capFen: f(333),
      bureauShareBp: 5000,
    });
    expect(maxBureauSubsidyFen(percentage)).toBe(167n);
    expect(maxBureauSubsidyFen({ ...percentage, bureauShareBp: 0 })).toBe(0n);
  });

  it('does not lose precision beyond 2^53 fen', () => {
    const huge = plan((p) => {
      p.voucherTypes[0].discountFen = f(9_000_000_000_000);
      p.voucherTypes[0].thresholdFen = f(9_000_000_000_001);
      p.rounds[0].offers[0].stock = 1000;
    });
    expect(worstCaseSubsidyFen(huge)).toBe(9_000_000_000_000n * 1000n + 9_000_000_000_000n * 100n);
  });
});

describe('completeness and safe changes', () => {
  it('wants a voucher type and a round with stock before submission', () => {
    expect(codeOf(() => assertPlanComplete(plan()))).toBeUndefined();
    expect(codeOf(() => assertPlanComplete(plan((p) => (p.rounds = []))))).toBe(ErrorCode.CampaignIncomplete);
    expect(codeOf(() => assertPlanComplete(plan((p) => p.rounds.forEach((r) => (r.offers[0].stock = 0)))))).toBe(
      ErrorCode.CampaignIncomplete,
    );
  });

  it('lets windows only move later and stock only grow', () => {
    const now = at('2026-05-01T00:00:00');
    expect(codeOf(() => assertNotEarlier('endsAt', now, now))).toBeUndefined();
    expect(codeOf(() => assertNotEarlier('endsAt', now, at('2026-04-30T23:59:59')))).toBe(ErrorCode.UnsafeChange);
    expect(codeOf(() => assertNotLess('stock', 100, 150))).toBeUndefined();
    expect(codeOf(() => assertNotLess('stock', 100, 99))).toBe(ErrorCode.UnsafeChange);
  });
});
