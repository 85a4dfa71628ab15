import { DomainError, ErrorCode, ErrorDetails } from './errors';
import { fen, Fen } from './money';
import { DiscountKind, RoundMode, ValidityKind } from './vocabulary';

/**
 * The configuration rules of a campaign, checked on a plain snapshot of the whole plan (campaign,
 * voucher types, rounds and offers) after every change, so a draft is never stored in a state that
 * breaks one. Each broken rule is a DomainError with its own code and the offending field's path.
 */

export interface DiscountRule {
  kind: DiscountKind;
  thresholdFen: Fen;
  discountFen: Fen | null;
  percentOff: number | null;
  capFen: Fen | null;
}

export interface VoucherRule extends DiscountRule {
  id: string;
  categoryCodes: string[];
  validityKind: ValidityKind;
  validFrom: Date | null;
  validUntil: Date | null;
  validDays: number | null;
  /** Share of each discount the bureau pays, in basis points (10000 = all of it). */
  bureauShareBp: number;
}

export interface OfferItemRule {
  voucherTypeId: string;
  quantity: number;
}

export interface OfferRule {
  name: string;
  stock: number;
  items: OfferItemRule[];
}

export interface RoundRule {
  id: string;
  mode: RoundMode;
  opensAt: Date;
  closesAt: Date;
  /** Lottery rounds only: when the draw takes place (at or after registration closes). */
  drawAt: Date | null;
  rollForwardToId: string | null;
  offers: OfferRule[];
}

export interface CampaignLimits {
  /** Packs (份) per person in the whole campaign: one claim of an offer is one pack, whatever its vouchers. */
  perPerson: number;
  /** Packs per person in one round. */
  perPersonPerRound: number | null;
  /** Packs per person on one business day. */
  perPersonPerDay: number | null;
  /** Category code -> packs per person with a voucher usable in that category (a pack counts once per category). */
  perPersonPerCategory: Record<string, number>;
  merchantDailyRedemptions: number | null;
  merchantDailySubsidyCapFen: Fen | null;
}

export interface Eligibility {
  /** Empty: every category. */
  categoryCodes: string[];
  /** Empty: every county of the campaign's scope. */
  countyCodes: string[];
  /** Merchants admitted whatever their category or county (still subject to the deny list and their status). */
  allowMerchantIds: string[];
  denyMerchantIds: string[];
  /** Only 限上企业 (above the statistical threshold). */
  aboveQuotaOnly: boolean;
}

export interface CampaignPlan {
  budgetFen: Fen;
  /** 超发: the worst case may exceed the budget; redemptions stop at the budget instead. */
  issueBeyondBudget: boolean;
  startsAt: Date;
  endsAt: Date;
  /** null: city-wide. */
  scopeCountyCode: string | null;
  limits: CampaignLimits;
  eligibility: Eligibility;
  voucherTypes: VoucherRule[];
  rounds: RoundRule[];
}

/** What exists in the reference data and registry, as far as the caller may see it. */
export interface KnownReferences {
  categoryCodes: ReadonlySet<string>;
  countyCodes: ReadonlySet<string>;
  /** Merchant id -> its county, for every merchant the plan names. */
  merchantCounties: ReadonlyMap<string, string>;
}

const BP = 10000n;

function fail(code: ErrorCode, field: string, message: string, details: ErrorDetails = {}): never {
  throw new DomainError(code, message, { field, ...details });
}

/** The largest discount one voucher can give: its fixed discount, or the cap of a percentage. */
export function maxDiscountFen(rule: DiscountRule): Fen {
  return (rule.kind === DiscountKind.Percentage ? rule.capFen : rule.discountFen) ?? (0 as Fen);
}

/**
 * The most the bureau can pay for one voucher: its share of the largest discount, rounded up to
 * whole fen (so rounding at redemption can never take the total past the bound).
 */
export function maxBureauSubsidyFen(voucher: VoucherRule): bigint {
  return (BigInt(maxDiscountFen(voucher)) * BigInt(voucher.bureauShareBp) + BP - 1n) / BP;
}

/**
 * Worst case of the bureau's spending: every unit of stock of every offer claimed and every voucher
 * redeemed for its largest discount. Stock rolled forward moves between rounds and is counted once.
 */
export function worstCaseSubsidyFen(plan: Pick<CampaignPlan, 'voucherTypes' | 'rounds'>): bigint {
  const perVoucher = new Map(plan.voucherTypes.map((v) => [v.id, maxBureauSubsidyFen(v)]));
  let total = 0n;
  for (const round of plan.rounds) {
    for (const offer of round.offers) {
      const perOffer = offer.items.reduce(
        (sum, item) => sum + (perVoucher.get(item.voucherTypeId) ?? 0n) * BigInt(item.quantity),
        0n,
      );
      total += perOffer * BigInt(offer.stock);
    }
  }
  return total;
}

/** 满减 needs a threshold above its discount; 直减 a discount alone; 折扣 a percentage in 1–99 and a cap. */
export function validateDiscountRule(rule: DiscountRule, path = ''): void {
  const at = (field: string) => `${path}${field}`;
  switch (rule.kind) {
    case DiscountKind.Threshold:
      if (rule.percentOff !== null || rule.capFen !== null)
        fail(
          ErrorCode.DiscountRuleInvalid,
          at('kind'),
          '满减 takes thresholdFen and discountFen, no percentOff or capFen',
        );
      if (rule.discountFen === null || rule.discountFen <= 0)
        fail(ErrorCode.DiscountRuleInvalid, at('discountFen'), '满减 needs a discount above 0');
      if (rule.thresholdFen <= rule.discountFen) {
        fail(
          ErrorCode.ThresholdNotAboveDiscount,
          at('thresholdFen'),
          `满减 threshold ${rule.thresholdFen} must be above its discount ${rule.discountFen}`,
        );
      }
      return;
    case DiscountKind.Fixed:
      if (rule.percentOff !== null || rule.capFen !== null || rule.thresholdFen !== 0) {
        fail(
          ErrorCode.DiscountRuleInvalid,
          at('kind'),
          '直减 takes discountFen only (no threshold, percentOff or capFen)',
        );
      }
      if (rule.discountFen === null || rule.discountFen <= 0)
        fail(ErrorCode.DiscountRuleInvalid, at('discountFen'), '直减 needs a discount above 0');
      return;
    case DiscountKind.Percentage:
      if (rule.discountFen !== null)
        fail(ErrorCode.DiscountRuleInvalid, at('discountFen'), '折扣 takes percentOff and capFen, no discountFen');
      if (rule.thresholdFen < 0)
        fail(ErrorCode.DiscountRuleInvalid, at('thresholdFen'), 'a threshold cannot be negative');
      if (
        rule.percentOff === null ||
        !Number.isInteger(rule.percentOff) ||
        rule.percentOff < 1 ||
        rule.percentOff > 99
      ) {
        fail(ErrorCode.PercentOffOutOfRange, at('percentOff'), '折扣 percentOff must be a whole number from 1 to 99');
      }
      if (rule.capFen === null || rule.capFen <= 0)
        fail(ErrorCode.PercentCapRequired, at('capFen'), '折扣 needs a cap above 0');
      return;
    default:
      fail(ErrorCode.DiscountRuleInvalid, at('kind'), `unknown discount kind ${String(rule.kind)}`);
  }
}

function validateLimits(plan: CampaignPlan, known: KnownReferences): void {
  const { limits } = plan;
  const perPersonOrBelow = (value: number | null, field: string) => {
    if (value !== null && value > limits.perPerson) {
      fail(
        ErrorCode.LimitsInconsistent,
        `limits.${field}`,
        `${field} (${value}) cannot exceed the per-person campaign limit (${limits.perPerson})`,
      );
    }
  };
  perPersonOrBelow(limits.perPersonPerRound, 'perPersonPerRound');
  perPersonOrBelow(limits.perPersonPerDay, 'perPersonPerDay');
  for (const [category, limit] of Object.entries(limits.perPersonPerCategory)) {
    if (!known.categoryCodes.has(category))
      fail(ErrorCode.UnknownReference, `limits.perPersonPerCategory.${category}`, `no category ${category}`);
    if (!Number.isInteger(limit) || limit < 1)
      fail(
        ErrorCode.LimitsInconsistent,
        `limits.perPersonPerCategory.${category}`,
        'a category limit must be a whole number of at least 1',
      );
    perPersonOrBelow(limit, `perPersonPerCategory.${category}`);
  }
}

function validateEligibility(plan: CampaignPlan, known: KnownReferences): void {
  const { eligibility, scopeCountyCode } = plan;
  eligibility.categoryCodes.forEach((code, i) => {
    if (!known.categoryCodes.has(code))
      fail(ErrorCode.UnknownReference, `eligibility.categoryCodes[${i}]`, `no category ${code}`);
  });
  eligibility.countyCodes.forEach((code, i) => {
    if (!known.countyCodes.has(code))
      fail(ErrorCode.UnknownReference, `eligibility.countyCodes[${i}]`, `no county ${code}`);
    if (scopeCountyCode !== null && code !== scopeCountyCode) {
      fail(
        ErrorCode.EligibilityOutsideScope,
        `eligibility.countyCodes[${i}]`,
        `a campaign of ${scopeCountyCode} cannot admit merchants of ${code}`,
      );
    }
  });
  for (const list of ['allowMerchantIds', 'denyMerchantIds'] as const) {
    eligibility[list].forEach((id, i) => {
      const county = known.merchantCounties.get(id);
      if (county === undefined) fail(ErrorCode.UnknownReference, `eligibility.${list}[${i}]`, `no merchant ${id}`);
      if (scopeCountyCode !== null && county !== scopeCountyCode) {
        fail(
          ErrorCode.EligibilityOutsideScope,
          `eligibility.${list}[${i}]`,
          `merchant ${id} is outside the campaign's county ${scopeCountyCode}`,
        );
      }
    });
  }
  const denied = new Set(eligibility.denyMerchantIds);
  const both = eligibility.allowMerchantIds.find((id) => denied.has(id));
  if (both !== undefined)
    fail(ErrorCode.EligibilityConflict, 'eligibility.allowMerchantIds', `merchant ${both} is both allowed and denied`);
}

function validateValidity(voucher: VoucherRule, plan: CampaignPlan, path: string): void {
  if (voucher.validityKind === ValidityKind.FixedWindow) {
    if (
      voucher.validFrom === null ||
      voucher.validUntil === null ||
      voucher.validDays !== null ||
      voucher.validUntil <= voucher.validFrom
    ) {
      fail(
        ErrorCode.ValidityInvalid,
        `${path}validUntil`,
        'a fixed window needs validFrom before validUntil and no validDays',
      );
    }
    if (voucher.validFrom < plan.startsAt || voucher.validUntil > plan.endsAt) {
      fail(
        ErrorCode.ValidityOutsideCampaign,
        `${path}validFrom`,
        'a fixed validity window must lie inside the campaign window',
      );
    }
  } else if (voucher.validityKind === ValidityKind.DaysFromClaim) {
    if (
      voucher.validDays === null ||
      !Number.isInteger(voucher.validDays) ||
      voucher.validDays < 1 ||
      voucher.validFrom !== null ||
      voucher.validUntil !== null
    ) {
      fail(
        ErrorCode.ValidityInvalid,
        `${path}validDays`,
        'validity in days from claim needs validDays of at least 1 and no window',
      );
    }
  } else {
    fail(ErrorCode.ValidityInvalid, `${path}validityKind`, `unknown validity kind ${String(voucher.validityKind)}`);
  }
}

function validateVoucherTypes(plan: CampaignPlan, known: KnownReferences): void {
  const eligible = new Set(plan.eligibility.categoryCodes);
  plan.voucherTypes.forEach((voucher, v) => {
    const path = `voucherTypes[${v}].`;
    validateDiscountRule(voucher, path);
    if (!Number.isInteger(voucher.bureauShareBp) || voucher.bureauShareBp < 0 || voucher.bureauShareBp > 10000) {
      fail(
        ErrorCode.SubsidyShareInvalid,
        `${path}bureauShareBp`,
        'the bureau share is in basis points from 0 to 10000',
      );
    }
    voucher.categoryCodes.forEach((code, i) => {
      if (!known.categoryCodes.has(code))
        fail(ErrorCode.UnknownReference, `${path}categoryCodes[${i}]`, `no category ${code}`);
      if (eligible.size > 0 && !eligible.has(code)) {
        fail(
          ErrorCode.VoucherCategoryNotEligible,
          `${path}categoryCodes[${i}]`,
          `category ${code} is not eligible in this campaign`,
        );
      }
    });
    if (eligible.size > 0 && voucher.categoryCodes.length === 0) {
      fail(
        ErrorCode.VoucherCategoryNotEligible,
        `${path}categoryCodes`,
        'the campaign admits only some categories, so the voucher type must name them',
      );
    }
    validateValidity(voucher, plan, path);
  });
}

function validateOffers(round: RoundRule, path: string, voucherTypeIds: ReadonlySet<string>): void {
  if (round.offers.length === 0) fail(ErrorCode.OfferInvalid, `${path}offers`, 'a round needs at least one offer');
  const names = new Set<string>();
  round.offers.forEach((offer, o) => {
    const at = `${path}offers[${o}].`;
    if (names.has(offer.name))
      fail(ErrorCode.OfferInvalid, `${at}name`, `two offers of one round are named ${offer.name}`);
    names.add(offer.name);
    if (!Number.isInteger(offer.stock) || offer.stock < 0)
      fail(ErrorCode.OfferInvalid, `${at}stock`, 'stock is a whole number of at least 0');
    if (offer.items.length === 0) fail(ErrorCode.OfferInvalid, `${at}items`, 'an offer grants at least one voucher');
    const seen = new Set<string>();
    offer.items.forEach((item, i) => {
      if (!voucherTypeIds.has(item.voucherTypeId))
        fail(
          ErrorCode.UnknownReference,
          `${at}items[${i}].voucherTypeId`,
          `no voucher type ${item.voucherTypeId} in this campaign`,
        );
      if (seen.has(item.voucherTypeId))
        fail(
          ErrorCode.OfferInvalid,
          `${at}items[${i}].voucherTypeId`,
          'list each voucher type once per offer, with its quantity',
        );
      seen.add(item.voucherTypeId);
      if (!Number.isInteger(item.quantity) || item.quantity < 1 || item.quantity > 100)
        fail(ErrorCode.OfferInvalid, `${at}items[${i}].quantity`, 'an offer grants 1 to 100 vouchers of a type');
    });
  });
}

const voucherTypesOf = (round: RoundRule) => new Set(round.offers.flatMap((o) => o.items.map((i) => i.voucherTypeId)));
const itemsKey = (offer: OfferRule) =>
  offer.items
    .map((i) => `${i.voucherTypeId}×${i.quantity}`)
    .sort()
    .join('+');

function validateRounds(plan: CampaignPlan): void {
  const voucherTypeIds = new Set(plan.voucherTypes.map((v) => v.id));
  const byId = new Map(plan.rounds.map((r) => [r.id, r]));
  plan.rounds.forEach((round, r) => {
    const path = `rounds[${r}].`;
    if (round.closesAt <= round.opensAt)
      fail(ErrorCode.RoundWindowInvalid, `${path}closesAt`, 'a round closes after it opens');
    if (round.opensAt < plan.startsAt || round.closesAt > plan.endsAt) {
      fail(ErrorCode.RoundOutsideCampaign, `${path}opensAt`, 'a round must lie inside the campaign window');
    }
    if (round.mode === RoundMode.Lottery) {
      if (round.drawAt === null || round.drawAt < round.closesAt || round.drawAt > plan.endsAt) {
        fail(
          ErrorCode.LotteryDrawInvalid,
          `${path}drawAt`,
          'a lottery round draws at or after registration closes and before the campaign ends',
        );
      }
    } else if (round.drawAt !== null) {
      fail(ErrorCode.LotteryDrawInvalid, `${path}drawAt`, 'only lottery rounds have a draw');
    }
    validateOffers(round, path, voucherTypeIds);
  });
  // Two rounds that issue the same voucher type may not be open at the same time.
  for (let a = 0; a < plan.rounds.length; a += 1) {
    const typesOfA = voucherTypesOf(plan.rounds[a]);
    for (let b = a + 1; b < plan.rounds.length; b += 1) {
      const [first, second] = [plan.rounds[a], plan.rounds[b]];
      const shared = [...voucherTypesOf(second)].some((id) => typesOfA.has(id));
      if (shared && first.opensAt < second.closesAt && second.opensAt < first.closesAt) {
        fail(
          ErrorCode.RoundsOverlap,
          `rounds[${b}].opensAt`,
          'two rounds issuing the same voucher type overlap in time',
          { roundIds: [first.id, second.id] },
        );
      }
    }
  }
  plan.rounds.forEach((round, r) => {
    if (round.rollForwardToId === null) return;
    const path = `rounds[${r}].rollForwardToRoundId`;
    const target = byId.get(round.rollForwardToId);
    if (!target || target.id === round.id)
      fail(ErrorCode.RollForwardInvalid, path, 'unclaimed stock rolls forward into another round of the same campaign');
    if (target.opensAt < round.closesAt)
      fail(
        ErrorCode.RollForwardInvalid,
        path,
        'unclaimed stock rolls forward into a round that opens after this one closes',
      );
    const targetOffers = new Set(target.offers.map(itemsKey));
    const unmatched = round.offers.find((offer) => !targetOffers.has(itemsKey(offer)));
    if (unmatched)
      fail(
        ErrorCode.RollForwardInvalid,
        path,
        `the later round has no offer granting the same vouchers as ${unmatched.name}`,
      );
  });
}

/**
 * Checks every configuration rule of a campaign plan; throws the first broken rule as a DomainError
 * (400 codes), naming the field. Returns the worst-case subsidy, which is within the budget unless the
 * campaign issues beyond it (then redemptions are capped by the budget instead).
 */
export function validateCampaignPlan(plan: CampaignPlan, known: KnownReferences): bigint {
  if (plan.endsAt <= plan.startsAt) fail(ErrorCode.CampaignWindowInvalid, 'endsAt', 'a campaign ends after it starts');
  if (!Number.isSafeInteger(plan.budgetFen) || plan.budgetFen <= 0)
    fail(ErrorCode.ValidationFailed, 'budgetFen', 'the budget is a whole number of fen above 0');
  if (plan.scopeCountyCode !== null && !known.countyCodes.has(plan.scopeCountyCode)) {
    fail(ErrorCode.UnknownReference, 'scopeCountyCode', `no county ${plan.scopeCountyCode}`);
  }
  validateLimits(plan, known);
  validateEligibility(plan, known);
  validateVoucherTypes(plan, known);
  validateRounds(plan);
  const worstCase = worstCaseSubsidyFen(plan);
  // Past 2^53 an amount is no longer an exact JSON number for a client, nor can any budget cover it.
  if (worstCase > BigInt(Number.MAX_SAFE_INTEGER)) {
    fail(
      ErrorCode.BudgetExceeded,
      'budgetFen',
      `the worst-case subsidy of all stock exceeds ${Number.MAX_SAFE_INTEGER} fen, the largest amount there can be`,
      {
        budgetFen: plan.budgetFen,
      },
    );
  }
  if (!plan.issueBeyondBudget && worstCase > BigInt(plan.budgetFen)) {
    fail(
      ErrorCode.BudgetExceeded,
      'budgetFen',
      `the worst-case subsidy of all stock (${worstCase} fen) exceeds the budget (${plan.budgetFen} fen)`,
      {
        worstCaseSubsidyFen: fen(worstCase),
        budgetFen: plan.budgetFen,
      },
    );
  }
  return worstCase;
}

/** A plan is ready for approval when it issues something: at least one round offering vouchers. */
export function assertPlanComplete(plan: Pick<CampaignPlan, 'voucherTypes' | 'rounds'>): void {
  if (
    plan.voucherTypes.length === 0 ||
    plan.rounds.length === 0 ||
    plan.rounds.every((r) => r.offers.every((o) => o.stock === 0))
  ) {
    throw new DomainError(
      ErrorCode.CampaignIncomplete,
      'A campaign needs at least one voucher type and one round with stock before it can be submitted',
    );
  }
}

/** After publishing, a window may only move later (extend) and stock may only grow. */
export function assertNotEarlier(field: string, current: Date, proposed: Date): void {
  if (proposed < current) {
    fail(
      ErrorCode.UnsafeChange,
      field,
      `${field} may only be extended after publishing (now ${current.toISOString()})`,
    );
  }
}

export function assertNotLess(field: string, current: number, proposed: number): void {
  if (proposed < current)
    fail(ErrorCode.UnsafeChange, field, `${field} may only grow after publishing (now ${current})`);
}
