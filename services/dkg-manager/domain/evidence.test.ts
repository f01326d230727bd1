import { describe, expect, it } from 'vitest';
import { wilsonLowerBound } from '../../platform/wilson-bound.js';
import { summarise } from './evidence.js';

describe('wilsonLowerBound', () => {
  it('matches the Wilson score interval at 95 %', () => {
    // (p + z²/2n - z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n), z = 1.96.
    expect(wilsonLowerBound(95, 100)).toBeCloseTo(0.8882, 4);
    expect(wilsonLowerBound(1, 1)).toBeCloseTo(0.2065, 4);
    expect(wilsonLowerBound(0, 10)).toBe(0);
    expect(wilsonLowerBound(50, 100)).toBeCloseTo(0.4038, 4);
  });

  it('rises with more runs at the same rate, and stays below the rate', () => {
    const bounds = [10, 100, 1000].map((runs) => wilsonLowerBound(runs * 0.9, runs));
    expect(bounds[0]).toBeLessThan(bounds[1] as number);
    expect(bounds[1]).toBeLessThan(bounds[2] as number);
    expect(bounds[2]).toBeLessThan(0.9);
  });

  it('is 0 without runs', () => {
    expect(wilsonLowerBound(0, 0)).toBe(0);
  });
});

describe('summarise', () => {
  it('derives the means from the totals, none without quality evaluations', () => {
    const summary = summarise({
      runs: 4,
      successes: 3,
      failures: 1,
      quality_sum: 1.5,
      quality_count: 2,
      cost_sum: '2',
      mean_cost: '0.5',
      latency_sum_ms: 1000,
      latency_max_ms: 400,
    });
    expect(summary).toMatchObject({
      runs: 4,
      mean_quality: 0.75,
      mean_cost: '0.5',
      mean_latency_ms: 250,
      max_latency_ms: 400,
    });
    expect(summary.success_lower_bound).toBeCloseTo(wilsonLowerBound(3, 4), 12);
    expect(summarise(undefined)).toMatchObject({ runs: 0, mean_quality: null, mean_cost: null });
  });
});
