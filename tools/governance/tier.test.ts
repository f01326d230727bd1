import { describe, expect, it } from 'vitest';
import { anonymitySet, defaultTier } from './tier.js';

describe('defaultTier', () => {
  it.each([
    [0n, 0n],
    [42n, 42n],
    [99n, 99n],
    [100n, 100n],
    [987n, 980n],
    [1_250n, 1_200n],
    [1_999_999n, 1_900_000n],
  ])('rounds %s down to two significant digits: %s', (weight, tier) => {
    expect(defaultTier(weight)).toBe(tier);
  });

  it('never counts less than 90 % of the weight', () => {
    for (let weight = 1n; weight < 5_000n; weight += 7n) {
      const tier = defaultTier(weight);
      expect(tier <= weight && tier * 10n >= weight * 9n, `${weight}`).toBe(true);
    }
  });
});

describe('anonymitySet', () => {
  it('counts the leaves weighing at least the tier, skipping weightless ones', () => {
    expect(anonymitySet([5n, 1_200n, 1_250n, undefined, 3_000n], 1_200n)).toBe(3);
  });
});
