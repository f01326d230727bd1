/**
 * The tier a private vote counts by default: the leaf's weight rounded down to two significant
 * digits (1,250 → 1,200; 987 → 980; 42 → 42). A tier proves only "some leaf weighing at least
 * this voted"; the exact weight, the default before, named the voter whenever their stake was
 * unique. Rounding keeps at least 90 % of the weight.
 */
export function defaultTier(weight: bigint): bigint {
  let unit = 1n;
  while (weight / unit >= 100n) unit *= 10n;
  return (weight / unit) * unit;
}

/** How many of the snapshot's leaves weigh at least `tier`: who could have cast the vote. */
export const anonymitySet = (weights: readonly (bigint | undefined)[], tier: bigint): number =>
  weights.filter((weight) => weight !== undefined && weight >= tier).length;
