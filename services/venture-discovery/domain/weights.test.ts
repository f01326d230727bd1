import { describe, expect, it } from 'vitest';
import {
  adjustWeights,
  COMPONENTS,
  type ComponentValues,
  DEFAULT_WEIGHTS,
  MAX_STEP,
  MAX_WEIGHT,
  MIN_WEIGHT,
  parseWeights,
} from './weights.js';

const sum = (weights: Record<string, number>) => Object.values(weights).reduce((a, b) => a + b, 0);
const values = (overrides: Partial<ComponentValues>): ComponentValues => ({
  signal_strength: 0.5,
  growth: 0.5,
  novelty: 0.5,
  competition_density: 0.5,
  capability_fit: 0.5,
  confidence: 0.5,
  ...overrides,
});

describe('weights', () => {
  it('parses a complete configuration and refuses one naming each problem', () => {
    const text = COMPONENTS.map((c) => `${c}=${DEFAULT_WEIGHTS[c]}`).join(',');
    expect(parseWeights(text)).toEqual(DEFAULT_WEIGHTS);
    expect(() => parseWeights('signal_strength=0.9,growth=0.1')).toThrow(
      /signal_strength must be a number from 0.02 to 0.6.*novelty is missing/,
    );
    expect(() => parseWeights(text.replace('growth=0.2', 'growth=0.3'))).toThrow(/sum to 1.100/);
    expect(() => parseWeights(`${text},luck=0.1`)).toThrow(/luck is not a component/);
  });

  it('moves weights toward what accepted opportunities were strong in, and away on rejects', () => {
    const accepted = adjustWeights(DEFAULT_WEIGHTS, [
      { verdict: 'accept', components: values({ growth: 1, novelty: 0 }) },
    ]);
    expect(accepted.weights.growth).toBeGreaterThan(DEFAULT_WEIGHTS.growth);
    expect(accepted.weights.novelty).toBeLessThan(DEFAULT_WEIGHTS.novelty);
    const rejected = adjustWeights(DEFAULT_WEIGHTS, [
      { verdict: 'reject', components: values({ growth: 1, novelty: 0 }) },
    ]);
    expect(rejected.weights.growth).toBeLessThan(DEFAULT_WEIGHTS.growth);
    expect(rejected.changes.growth?.from).toBe(DEFAULT_WEIGHTS.growth);
  });

  it('moves each weight at most MAX_STEP per run, within bounds, summing to 1', () => {
    const many = Array.from({ length: 500 }, () => ({
      verdict: 'accept' as const,
      components: values({
        signal_strength: 1,
        growth: 0,
        novelty: 0,
        competition_density: 0,
        capability_fit: 0,
        confidence: 0,
      }),
    }));
    let weights = DEFAULT_WEIGHTS;
    for (let run = 0; run < 30; run += 1) {
      const next = adjustWeights(weights, many).weights;
      for (const c of COMPONENTS) {
        expect(Math.abs(next[c] - weights[c])).toBeLessThanOrEqual(MAX_STEP + 1e-6);
        expect(next[c]).toBeGreaterThanOrEqual(MIN_WEIGHT);
        expect(next[c]).toBeLessThanOrEqual(MAX_WEIGHT);
      }
      expect(sum(next)).toBeCloseTo(1, 5);
      weights = next;
    }
    expect(weights.signal_strength).toBe(MAX_WEIGHT);
  });

  it('leaves the weights as they are without feedback', () => {
    expect(adjustWeights(DEFAULT_WEIGHTS, [])).toEqual({ weights: DEFAULT_WEIGHTS, changes: {} });
  });
});
