import {
  burst,
  CategoryBaseline,
  identityFarmSeverity,
  invalidParameters,
  MerchantDayFigures,
  overdispersedZ,
  poissonUpperTailLog10,
  RiskRule,
  thresholdBand,
} from './risk-rules';

const BAND = { minOrders: 40, minLift: 0.08, zMedium: 4, zHigh: 6, overdispersion: 0.01 };
const BURST = {
  minWindowRedemptions: 25,
  openWindows: 144,
  peakFactor: 3,
  log10pMedium: -6,
  log10pHigh: -10,
  minNightRedemptions: 20,
  nightZMedium: 4,
  nightZHigh: 6,
  overdispersion: 0.01,
};
const day = (figures: Partial<MerchantDayFigures>): MerchantDayFigures => ({
  redemptions: 0,
  thresholdOrders: 0,
  bandOrders: 0,
  quickRedemptions: 0,
  nightRedemptions: 0,
  reversals: 0,
  rebounds: 0,
  busiestWindowRedemptions: 0,
  usualPerDay: 0,
  ...figures,
});
const city: CategoryBaseline = {
  redemptions: 10_000,
  thresholdOrders: 10_000,
  bandOrders: 800,
  quickRedemptions: 500,
  nightRedemptions: 50,
  reversals: 100,
};

describe('risk rules', () => {
  it('computes Poisson tails and overdispersed z-scores', () => {
    // P(X ≥ 1 | λ = 1) = 1 − e⁻¹
    expect(10 ** poissonUpperTailLog10(1, 1)).toBeCloseTo(1 - Math.exp(-1), 10);
    expect(10 ** poissonUpperTailLog10(3, 2)).toBeCloseTo(1 - Math.exp(-2) * (1 + 2 + 2), 10);
    expect(poissonUpperTailLog10(40, 2)).toBeLessThan(-30);
    expect(overdispersedZ(30, 100, 0.1, 0)).toBeCloseTo(20 / 3, 10);
    // Honest merchants differ: the same excess in a busy shop counts for less.
    expect(overdispersedZ(300, 1000, 0.25, 0.01)).toBeLessThan(overdispersedZ(300, 1000, 0.25, 0));
  });

  it('flags a share just above the threshold far over the category, not a small shop nor a modest excess', () => {
    expect(thresholdBand(day({ thresholdOrders: 160, bandOrders: 68 }), city, BAND)?.severity).toBe('high');
    expect(thresholdBand(day({ thresholdOrders: 30, bandOrders: 20 }), city, BAND)).toBeNull();
    expect(thresholdBand(day({ thresholdOrders: 500, bandOrders: 60 }), city, BAND)).toBeNull();
  });

  it("measures a burst against the merchant's own peak rate, and its usual day when today is young", () => {
    expect(burst(day({ redemptions: 140, busiestWindowRedemptions: 40 }), city, BURST)?.severity).toBe('high');
    // A busy shop's lunch rush is not a burst.
    expect(burst(day({ redemptions: 2000, busiestWindowRedemptions: 60 }), city, BURST)).toBeNull();
    // Its first rush of the morning, measured against its usual day.
    expect(burst(day({ redemptions: 30, busiestWindowRedemptions: 30, usualPerDay: 2000 }), city, BURST)).toBeNull();
  });

  it('never flags an address range above low, and checks parameters by name and range', () => {
    const farm = { windowMinutes: 60, deviceIdentitiesMedium: 5, deviceIdentitiesHigh: 10, addressIdentitiesLow: 30 };
    expect(identityFarmSeverity('address', 10_000, farm)).toBe('low');
    expect(identityFarmSeverity('device', 12, farm)).toBe('high');
    expect(invalidParameters(RiskRule.IdentityFarm, farm)).toEqual([]);
    expect(invalidParameters(RiskRule.IdentityFarm, { ...farm, windowMinutes: 0, extra: 1 })).toEqual([
      'extra',
      'windowMinutes',
    ]);
  });
});
