/**
 * The synthetic city of `npm run bench:risk`: honest merchants whose orders follow their category's prices
 * (log-normal, each shop its own level), with residents who top an order up to reach a voucher's threshold
 * as real ones do, lunch and dinner peaks, a few late orders, claims redeemed hours or days later and a
 * percent or two reversed; and planted cash-out merchants, each with one pattern at a strength drawn from
 * a wide range, hidden in honest-looking traffic of their own. Nothing here knows the rules' parameters:
 * the strengths are the generator's own, chosen so that the weakest cases are hard to tell from honest ones.
 */

/** A small deterministic generator (mulberry32), so a run can be repeated. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const normal = (rnd: () => number) => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
const logNormal = (rnd: () => number, median: number, sigma: number) => median * Math.exp(sigma * normal(rnd));

/** Prices by category: median order in yuan and its spread, how often a resident tops up, night share, quick claims. */
export const CATEGORY_PROFILES: Record<
  string,
  { median: number; sigma: number; topUp: number; night: number; quick: number; reversal: number }
> = {
  catering: { median: 85, sigma: 0.55, topUp: 0.35, night: 0.02, quick: 0.1, reversal: 0.012 },
  retail: { median: 120, sigma: 0.7, topUp: 0.45, night: 0.01, quick: 0.06, reversal: 0.015 },
  appliances: { median: 1800, sigma: 0.8, topUp: 0.2, night: 0.001, quick: 0.04, reversal: 0.025 },
  automobile: { median: 9000, sigma: 0.6, topUp: 0.1, night: 0.0005, quick: 0.03, reversal: 0.02 },
  furniture: { median: 2500, sigma: 0.8, topUp: 0.15, night: 0.001, quick: 0.04, reversal: 0.02 },
  tourism: { median: 300, sigma: 0.7, topUp: 0.25, night: 0.005, quick: 0.08, reversal: 0.02 },
  selenium: { median: 180, sigma: 0.6, topUp: 0.4, night: 0.002, quick: 0.05, reversal: 0.01 },
};
const DEFAULT_PROFILE = CATEGORY_PROFILES.retail;

/** The vouchers of the bench's campaign: thresholds from 50 to 5,000 yuan, about a fifth off. */
export const VOUCHER_TIERS: [threshold: number, discount: number][] = [
  [50, 10],
  [100, 20],
  [200, 40],
  [500, 80],
  [1000, 150],
  [5000, 600],
];

/** Relative weight of each hour of the day (Asia/Shanghai): open 9–21 with lunch and dinner peaks. */
const HOURS = [0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.6, 0.8, 1.3, 2.0, 1.4, 0.8, 0.7, 0.8, 1.2, 1.9, 1.6, 1.0, 0.5, 0.2, 0];

export type Pattern = 'threshold_band' | 'burst' | 'night' | 'collusion' | 'reversals' | 'rebound';

export interface MerchantPlan {
  index: number;
  category: string;
  /** Honest redemptions per business day. */
  perDay: number;
  /** The shop's own price level and top-up habit, around its category's. */
  priceFactor: number;
  topUp: number;
  planted: { pattern: Pattern; strength: number } | null;
}

/** The twenty planted cases: the pattern of each and its strength, from faint to blatant. */
export const PLANTED: { pattern: Pattern; strengths: number[] }[] = [
  // share of orders rung up just above a threshold
  { pattern: 'threshold_band', strengths: [0.08, 0.15, 0.25, 0.35, 0.5, 0.7] },
  // residents in the busiest five minutes
  { pattern: 'burst', strengths: [18, 30, 45, 70] },
  // fake orders at night, per day
  { pattern: 'night', strengths: [8, 25] },
  // share of orders by residents who claim, walk in within minutes and shop nowhere else
  { pattern: 'collusion', strengths: [0.15, 0.3, 0.45, 0.6] },
  // share of redemptions reversed
  { pattern: 'reversals', strengths: [0.04, 0.1] },
  // vouchers reversed here and then redeemed at an accomplice, per day
  { pattern: 'rebound', strengths: [2, 6] },
];

export function planMerchants(honest: number, categories: string[], rnd: () => number): MerchantPlan[] {
  const plans: MerchantPlan[] = [];
  const planted = PLANTED.flatMap(({ pattern, strengths }) => strengths.map((strength) => ({ pattern, strength })));
  for (let index = 0; index < honest + planted.length; index++) {
    const category = categories[Math.floor(rnd() * categories.length)];
    const profile = CATEGORY_PROFILES[category] ?? DEFAULT_PROFILE;
    plans.push({
      index,
      category,
      perDay: Math.max(3, logNormal(rnd, 1, 0.9)),
      priceFactor: logNormal(rnd, 1, 0.3),
      topUp: Math.min(0.9, profile.topUp * logNormal(rnd, 1, 0.35)),
      planted: index >= honest ? planted[index - honest] : null,
    });
  }
  return plans;
}

export interface GeneratedRedemption {
  merchant: number;
  day: number;
  /** Seconds after the business day's midnight. */
  second: number;
  amountFen: number;
  tier: number;
  /** Seconds between the claim and the redemption. */
  claimDelay: number;
  /** -1: a resident of the honest pool (picked by the caller); otherwise the index of a planted resident. */
  resident: number;
  reversed: boolean;
  /** For a rebound: the merchant the reversed voucher is redeemed at next. */
  reboundAt: number | null;
}

/**
 * Every redemption of the city over `days` days, scaled so that the total is about `total`. Planted
 * residents (collusion) are numbered from 0, one set per merchant, never used anywhere else.
 */
export function* generateRedemptions(
  plans: MerchantPlan[],
  days: number,
  total: number,
  rnd: () => number,
): Generator<GeneratedRedemption> {
  const scale = total / days / plans.reduce((sum, p) => sum + p.perDay, 0);
  let plantedResident = 0;
  for (let day = 0; day < days; day++) {
    for (const plan of plans) {
      const profile = CATEGORY_PROFILES[plan.category] ?? DEFAULT_PROFILE;
      const count = Math.round(plan.perDay * scale * logNormal(rnd, 1, 0.15));
      const honestOrder = (): GeneratedRedemption => {
        let amount = orderNear(profile, plan, rnd);
        // A resident a little short of a threshold often adds something to reach it.
        const tierIndex = VOUCHER_TIERS.findIndex(([threshold]) => amount < threshold && amount >= threshold * 0.8);
        if (tierIndex >= 0 && rnd() < plan.topUp) amount = VOUCHER_TIERS[tierIndex][0] * (1 + rnd() * 0.12);
        const night = rnd() < profile.night;
        return {
          merchant: plan.index,
          day,
          second: night ? Math.floor(rnd() * 6 * 3600) : secondOfDay(rnd),
          amountFen: Math.max(100, Math.round(amount * 100)),
          tier: tierFor(amount),
          claimDelay: rnd() < profile.quick ? Math.floor(rnd() * 1800) : Math.floor(1800 + logNormal(rnd, 86400, 1.2)),
          resident: -1,
          reversed: rnd() < profile.reversal * logNormal(rnd, 1, 0.3),
          reboundAt: null,
        };
      };
      for (let i = 0; i < count; i++) yield honestOrder();
      if (!plan.planted) continue;
      const { pattern, strength } = plan.planted;
      const fake = (second: number, amount: number, resident = -1, claimDelay = 3600 * 30): GeneratedRedemption => ({
        merchant: plan.index,
        day,
        second,
        amountFen: Math.round(amount * 100),
        tier: tierFor(amount),
        claimDelay,
        resident,
        reversed: false,
        reboundAt: null,
      });
      switch (pattern) {
        case 'threshold_band': {
          const extra = Math.round((count * strength) / (1 - strength));
          for (let i = 0; i < extra; i++) {
            const [threshold] = VOUCHER_TIERS[nearestTier(profile.median * plan.priceFactor)];
            yield fake(secondOfDay(rnd), threshold * (1 + rnd() * 0.03));
          }
          break;
        }
        case 'burst': {
          // On two days of the week, a crowd in a few minutes.
          if (day % 3 !== 1) break;
          const start = 10 * 3600 + Math.floor(rnd() * 8 * 3600);
          for (let i = 0; i < strength; i++) yield fake(start + Math.floor(rnd() * 240), orderNear(profile, plan, rnd));
          break;
        }
        case 'night':
          for (let i = 0; i < strength; i++)
            yield fake(3600 + Math.floor(rnd() * 3 * 3600), orderNear(profile, plan, rnd));
          break;
        case 'collusion': {
          const extra = Math.round((count * strength) / (1 - strength));
          for (let i = 0; i < extra; i++)
            yield fake(
              secondOfDay(rnd),
              orderNear(profile, plan, rnd),
              plantedResident++,
              120 + Math.floor(rnd() * 1500),
            );
          break;
        }
        case 'reversals': {
          const extra = Math.round(count * strength);
          for (let i = 0; i < extra; i++)
            yield { ...fake(secondOfDay(rnd), orderNear(profile, plan, rnd)), reversed: true };
          break;
        }
        case 'rebound':
          for (let i = 0; i < strength; i++) {
            const accomplice = (plan.index + 1 + Math.floor(rnd() * 50)) % plans.length;
            yield { ...fake(secondOfDay(rnd), orderNear(profile, plan, rnd)), reversed: true, reboundAt: accomplice };
          }
          break;
      }
    }
  }
}

function secondOfDay(rnd: () => number): number {
  const total = HOURS.reduce((a, b) => a + b, 0);
  let pick = rnd() * total;
  let hour = 0;
  while (pick >= HOURS[hour]) pick -= HOURS[hour++];
  return hour * 3600 + Math.floor(rnd() * 3600);
}

/** An order of the shop's usual kind that reaches the smallest threshold (a smaller one takes no voucher). */
function orderNear(profile: (typeof CATEGORY_PROFILES)[string], plan: MerchantPlan, rnd: () => number): number {
  for (;;) {
    const amount = logNormal(rnd, profile.median * plan.priceFactor, profile.sigma);
    if (amount >= VOUCHER_TIERS[0][0]) return amount;
  }
}

/** The voucher used: the largest tier whose threshold the order reaches. */
function tierFor(amount: number): number {
  let tier = -1;
  VOUCHER_TIERS.forEach(([threshold], index) => {
    if (amount >= threshold) tier = index;
  });
  return tier;
}

function nearestTier(amount: number): number {
  let best = 0;
  VOUCHER_TIERS.forEach(([threshold], index) => {
    if (Math.abs(Math.log(threshold / amount)) < Math.abs(Math.log(VOUCHER_TIERS[best][0] / amount))) best = index;
  });
  return best;
}
