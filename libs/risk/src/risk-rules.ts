/**
 * The risk rules as pure functions: figures of one merchant and business day against its category's
 * city-wide figures of that day, and the parameters of the rule's current version. Every test is a tail
 * probability or a z-score with a minimum-volume guard, so a small merchant is never flagged on a handful
 * of orders, and proportions allow for honest merchants differing among themselves (overdispersion), so a
 * busy honest shop is not flagged for a tiny but "significant" difference. docs/risk.md explains each rule.
 */

export enum RiskRule {
  ThresholdBand = 'threshold_band',
  Burst = 'burst',
  ClaimCollusion = 'claim_collusion',
  IdentityFarm = 'identity_farm',
  Reversals = 'reversals',
}

export type Severity = 'low' | 'medium' | 'high';

const SEVERITY_RANK: Record<Severity, number> = { low: 1, medium: 2, high: 3 };

export const higherSeverity = (a: Severity, b: Severity): Severity => (SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b);

/** Each rule's parameters, with the range a bureau may set them in. */
export const RULE_PARAMETERS: Record<RiskRule, Record<string, { min: number; max: number }>> = {
  [RiskRule.ThresholdBand]: {
    minOrders: { min: 1, max: 100_000 },
    minLift: { min: 0, max: 1 },
    zMedium: { min: 1, max: 50 },
    zHigh: { min: 1, max: 50 },
    overdispersion: { min: 0, max: 1 },
  },
  [RiskRule.Burst]: {
    minWindowRedemptions: { min: 1, max: 100_000 },
    openWindows: { min: 1, max: 288 },
    peakFactor: { min: 1, max: 100 },
    log10pMedium: { min: -100, max: 0 },
    log10pHigh: { min: -100, max: 0 },
    minNightRedemptions: { min: 1, max: 100_000 },
    nightZMedium: { min: 1, max: 50 },
    nightZHigh: { min: 1, max: 50 },
    overdispersion: { min: 0, max: 1 },
  },
  [RiskRule.ClaimCollusion]: {
    minRedemptions: { min: 1, max: 100_000 },
    minLift: { min: 0, max: 1 },
    zMedium: { min: 1, max: 50 },
    zHigh: { min: 1, max: 50 },
    minExclusiveShare: { min: 0, max: 1 },
    overdispersion: { min: 0, max: 1 },
  },
  [RiskRule.IdentityFarm]: {
    windowMinutes: { min: 1, max: 1440 },
    deviceIdentitiesMedium: { min: 2, max: 10_000 },
    deviceIdentitiesHigh: { min: 2, max: 10_000 },
    addressIdentitiesLow: { min: 2, max: 100_000 },
  },
  [RiskRule.Reversals]: {
    minRedemptions: { min: 1, max: 100_000 },
    minLift: { min: 0, max: 1 },
    zMedium: { min: 1, max: 50 },
    zHigh: { min: 1, max: 50 },
    reboundsMedium: { min: 1, max: 10_000 },
    reboundsHigh: { min: 1, max: 10_000 },
    overdispersion: { min: 0, max: 1 },
  },
};

export type RuleParameters = Record<string, number>;

/** The names of the parameters that are missing, unknown or out of range; empty when `parameters` is valid. */
export function invalidParameters(rule: RiskRule, parameters: Record<string, unknown>): string[] {
  const ranges = RULE_PARAMETERS[rule];
  const unknown = Object.keys(parameters).filter((key) => !(key in ranges));
  const wrong = Object.entries(ranges)
    .filter(([key, { min, max }]) => {
      const value = parameters[key];
      return typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max;
    })
    .map(([key]) => key);
  return [...unknown, ...wrong];
}

/** A merchant's figures of one business day, as the worker folds them, with its busiest five minutes. */
export interface MerchantDayFigures {
  redemptions: number;
  thresholdOrders: number;
  bandOrders: number;
  quickRedemptions: number;
  nightRedemptions: number;
  reversals: number;
  rebounds: number;
  busiestWindowRedemptions: number;
  /** Its average redemptions per day over the seven days before (0 when new). */
  usualPerDay: number;
}

/** The category's city-wide figures of that day, the merchant's own left out. */
export type CategoryBaseline = Omit<MerchantDayFigures, 'rebounds' | 'busiestWindowRedemptions' | 'usualPerDay'>;

export interface RuleFinding {
  rule: RiskRule;
  severity: Severity;
  summary: string;
  figures: Record<string, number | null>;
}

/**
 * How far `k` of `n` lies above the share `p` of the baseline, in standard deviations of a binomial
 * widened by the intra-class correlation `rho` (merchants honestly differ; 0 is a plain binomial).
 */
export function overdispersedZ(k: number, n: number, p: number, rho: number): number {
  if (n === 0) return 0;
  const share = Math.min(Math.max(p, 1e-4), 1 - 1e-4);
  return (k - n * share) / Math.sqrt(n * share * (1 - share) * (1 + (n - 1) * rho));
}

/** log10 of P(X ≥ k) for X ~ Poisson(lambda). */
export function poissonUpperTailLog10(k: number, lambda: number): number {
  if (k <= 0) return 0;
  if (lambda <= 0) return -Infinity;
  // Terms from k upward: the first is the largest once k > lambda; add until they no longer matter.
  const logTerm = (i: number) => i * Math.log(lambda) - lambda - logFactorial(i);
  const first = logTerm(k);
  let sum = 0;
  for (let i = k; i < k + 10_000; i++) {
    const ratio = Math.exp(logTerm(i) - first);
    sum += ratio;
    if (i > lambda && ratio < 1e-12) break;
  }
  return Math.min(0, (first + Math.log(sum)) / Math.LN10);
}

const LOG_FACTORIALS: number[] = [0];
function logFactorial(n: number): number {
  for (let i = LOG_FACTORIALS.length; i <= n; i++) LOG_FACTORIALS[i] = LOG_FACTORIALS[i - 1] + Math.log(i);
  return LOG_FACTORIALS[n];
}

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

/** A share of `k` in `n` compared with the baseline's: severity by z-score, with the volume and lift guards. */
function proportionTest(
  k: number,
  n: number,
  baseK: number,
  baseN: number,
  p: { minVolume: number; minLift: number; zMedium: number; zHigh: number; overdispersion: number },
): { severity: Severity | null; z: number; share: number; baselineShare: number } {
  const baselineShare = baseN > 0 ? baseK / baseN : 0;
  const share = n > 0 ? k / n : 0;
  const z = overdispersedZ(k, n, baselineShare, p.overdispersion);
  if (n < p.minVolume || baseN < p.minVolume || share - baselineShare < p.minLift) {
    return { severity: null, z, share, baselineShare };
  }
  const severity = z >= p.zHigh ? 'high' : z >= p.zMedium ? 'medium' : null;
  return { severity, z, share, baselineShare };
}

/** Rule 1: orders just above a voucher's threshold, against the category's share in the city. */
export function thresholdBand(m: MerchantDayFigures, base: CategoryBaseline, p: RuleParameters): RuleFinding | null {
  const test = proportionTest(m.bandOrders, m.thresholdOrders, base.bandOrders, base.thresholdOrders, {
    minVolume: p.minOrders,
    minLift: p.minLift,
    zMedium: p.zMedium,
    zHigh: p.zHigh,
    overdispersion: p.overdispersion,
  });
  if (!test.severity) return null;
  return {
    rule: RiskRule.ThresholdBand,
    severity: test.severity,
    summary: `${m.bandOrders} of ${m.thresholdOrders} threshold orders just above the threshold (${pct(test.share)} against ${pct(test.baselineShare)} in the category)`,
    figures: {
      bandOrders: m.bandOrders,
      thresholdOrders: m.thresholdOrders,
      share: round(test.share),
      baselineBandOrders: base.bandOrders,
      baselineThresholdOrders: base.thresholdOrders,
      baselineShare: round(test.baselineShare),
      z: round(test.z, 2),
    },
  };
}

/**
 * Rule 2: the busiest five minutes against the merchant's own rate (its other redemptions of the day, or its
 * usual day when that is more, over its open windows, times the peak factor an honest lunch hour reaches), as a
 * Poisson tail corrected for the day's number of windows; and redemptions at night against the category's share.
 */
export function burst(m: MerchantDayFigures, base: CategoryBaseline, p: RuleParameters): RuleFinding | null {
  const others = Math.max(m.redemptions - m.busiestWindowRedemptions, m.usualPerDay);
  const lambda = Math.max(1, (others / p.openWindows) * p.peakFactor);
  const log10p = poissonUpperTailLog10(m.busiestWindowRedemptions, lambda) + Math.log10(p.openWindows);
  const windowSeverity: Severity | null =
    m.busiestWindowRedemptions < p.minWindowRedemptions
      ? null
      : log10p <= p.log10pHigh
        ? 'high'
        : log10p <= p.log10pMedium
          ? 'medium'
          : null;
  const night = proportionTest(m.nightRedemptions, m.redemptions, base.nightRedemptions, base.redemptions, {
    minVolume: 1,
    minLift: 0,
    zMedium: p.nightZMedium,
    zHigh: p.nightZHigh,
    overdispersion: p.overdispersion,
  });
  const nightSeverity = m.nightRedemptions >= p.minNightRedemptions ? night.severity : null;
  if (!windowSeverity && !nightSeverity) return null;
  const severity = higherSeverity(windowSeverity ?? 'low', nightSeverity ?? 'low');
  return {
    rule: RiskRule.Burst,
    severity,
    summary: windowSeverity
      ? `${m.busiestWindowRedemptions} redemptions in five minutes against about ${lambda.toFixed(1)} at the merchant's peak rate`
      : `${m.nightRedemptions} redemptions at night (${pct(night.share)} against ${pct(night.baselineShare)} in the category)`,
    figures: {
      busiestWindowRedemptions: m.busiestWindowRedemptions,
      expectedAtPeak: round(lambda, 2),
      log10p: Number.isFinite(log10p) ? round(log10p, 2) : null,
      nightRedemptions: m.nightRedemptions,
      redemptions: m.redemptions,
      nightShare: round(night.share),
      baselineNightShare: round(night.baselineShare),
      nightZ: round(night.z, 2),
    },
  };
}

/**
 * Rule 3, screening: redemptions soon after the claim, against the category. The worker then counts how
 * many of those residents redeemed nowhere else (`exclusiveShare`); high needs most of them to be exclusive.
 */
export function claimCollusion(
  m: MerchantDayFigures,
  base: CategoryBaseline,
  p: RuleParameters,
  exclusiveShare: number | null,
): RuleFinding | null {
  const test = proportionTest(m.quickRedemptions, m.redemptions, base.quickRedemptions, base.redemptions, {
    minVolume: p.minRedemptions,
    minLift: p.minLift,
    zMedium: p.zMedium,
    zHigh: p.zHigh,
    overdispersion: p.overdispersion,
  });
  if (!test.severity) return null;
  const severity: Severity =
    test.severity === 'high' && exclusiveShare !== null && exclusiveShare < p.minExclusiveShare
      ? 'medium'
      : test.severity;
  return {
    rule: RiskRule.ClaimCollusion,
    severity,
    summary: `${m.quickRedemptions} of ${m.redemptions} redemptions soon after the claim (${pct(test.share)} against ${pct(test.baselineShare)} in the category)`,
    figures: {
      quickRedemptions: m.quickRedemptions,
      redemptions: m.redemptions,
      share: round(test.share),
      baselineShare: round(test.baselineShare),
      z: round(test.z, 2),
      exclusiveShare: exclusiveShare === null ? null : round(exclusiveShare),
    },
  };
}

/** Rule 5: reversals against the category's rate; and vouchers reversed here then redeemed elsewhere. */
export function reversals(m: MerchantDayFigures, base: CategoryBaseline, p: RuleParameters): RuleFinding | null {
  const test = proportionTest(m.reversals, m.redemptions, base.reversals, base.redemptions, {
    minVolume: p.minRedemptions,
    minLift: p.minLift,
    zMedium: p.zMedium,
    zHigh: p.zHigh,
    overdispersion: p.overdispersion,
  });
  const reboundSeverity: Severity | null =
    m.rebounds >= p.reboundsHigh ? 'high' : m.rebounds >= p.reboundsMedium ? 'medium' : m.rebounds > 0 ? 'low' : null;
  if (!test.severity && !reboundSeverity) return null;
  return {
    rule: RiskRule.Reversals,
    severity: higherSeverity(test.severity ?? 'low', reboundSeverity ?? 'low'),
    summary:
      m.rebounds > 0
        ? `${m.rebounds} vouchers reversed here and then redeemed at another merchant; ${m.reversals} reversals of ${m.redemptions}`
        : `${m.reversals} of ${m.redemptions} redemptions reversed (${pct(test.share)} against ${pct(test.baselineShare)} in the category)`,
    figures: {
      reversals: m.reversals,
      redemptions: m.redemptions,
      rebounds: m.rebounds,
      share: round(test.share),
      baselineShare: round(test.baselineShare),
      z: round(test.z, 2),
    },
  };
}

/** Rule 4: identities verified from one device (strong) or one address range (weak: carrier NAT). */
export function identityFarmSeverity(
  source: 'device' | 'address',
  identities: number,
  p: RuleParameters,
): Severity | null {
  if (source === 'address') return identities >= p.addressIdentitiesLow ? 'low' : null;
  return identities >= p.deviceIdentitiesHigh ? 'high' : identities >= p.deviceIdentitiesMedium ? 'medium' : null;
}

/** The merchant rules of one merchant and day, in rule order. */
export function scoreMerchantDay(
  m: MerchantDayFigures,
  base: CategoryBaseline,
  parameters: Record<RiskRule, RuleParameters>,
  exclusiveShare: number | null,
): RuleFinding[] {
  return [
    thresholdBand(m, base, parameters[RiskRule.ThresholdBand]),
    burst(m, base, parameters[RiskRule.Burst]),
    claimCollusion(m, base, parameters[RiskRule.ClaimCollusion], exclusiveShare),
    reversals(m, base, parameters[RiskRule.Reversals]),
  ].filter((finding): finding is RuleFinding => finding !== null);
}

function pct(share: number): string {
  return `${(share * 100).toFixed(1)} %`;
}
