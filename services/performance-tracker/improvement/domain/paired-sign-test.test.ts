import { describe, expect, it } from 'vitest';
import {
  binomialUpperTail,
  compareTask,
  decideImprovement,
  type PairedResult,
} from './paired-sign-test.js';

const ok = { success: true, quality: 1 };
const wrong = { success: false, quality: 0 };
const pairs = (spec: { better: number; worse: number; ties: number }): PairedResult[] => [
  ...Array.from({ length: spec.better }, (_, i) => ({
    taskId: `b${i}`,
    parent: wrong,
    variant: ok,
  })),
  ...Array.from({ length: spec.worse }, (_, i) => ({
    taskId: `w${i}`,
    parent: ok,
    variant: wrong,
  })),
  ...Array.from({ length: spec.ties }, (_, i) => ({ taskId: `t${i}`, parent: ok, variant: ok })),
];

describe('binomialUpperTail', () => {
  it('is the exact one-sided tail of a fair coin', () => {
    expect(binomialUpperTail(5, 5)).toBeCloseTo(1 / 32, 12);
    expect(binomialUpperTail(4, 5)).toBeCloseTo(6 / 32, 12);
    expect(binomialUpperTail(0, 7)).toBe(1);
    expect(binomialUpperTail(3, 2)).toBe(0);
    // Large sets stay finite and exact enough: P(X >= 250 | n = 500) is just over a half.
    expect(binomialUpperTail(250, 500)).toBeCloseTo(0.5178, 3);
  });
});

describe('compareTask', () => {
  it('decides by success first, then by quality', () => {
    expect(compareTask({ taskId: 'a', parent: wrong, variant: ok })).toBe(1);
    expect(compareTask({ taskId: 'a', parent: ok, variant: wrong })).toBe(-1);
    expect(
      compareTask({
        taskId: 'a',
        parent: { success: false, quality: 0.5 },
        variant: { success: false, quality: 0.75 },
      }),
    ).toBe(1);
    expect(compareTask({ taskId: 'a', parent: ok, variant: ok })).toBe(0);
  });
});

describe('decideImprovement', () => {
  it('promotes a clearly better variant (8 wins, 1 loss: p = 10/512 < 0.05)', () => {
    const decision = decideImprovement(pairs({ better: 8, worse: 1, ties: 3 }));
    expect(decision.outcome).toBe('promoted');
    expect(decision.statistic).toMatchObject({ better: 8, worse: 1, ties: 3, tasks: 12 });
    expect(decision.statistic.pValue).toBeCloseTo(10 / 512, 12);
    expect(decision.reason).toContain('better with confidence');
  });

  it('rejects a variant that wins more often but not convincingly (4 wins, 1 loss: p = 6/32)', () => {
    const decision = decideImprovement(pairs({ better: 4, worse: 1, ties: 7 }));
    expect(decision.outcome).toBe('rejected');
    expect(decision.statistic.pValue).toBeCloseTo(6 / 32, 12);
    expect(decision.reason).toMatch(
      /not better with confidence: better on 4, worse on 1, tied on 7 of 12 tasks/,
    );
  });

  it('rejects a variant that ties its parent on every task (p = 1)', () => {
    const decision = decideImprovement(pairs({ better: 0, worse: 0, ties: 12 }));
    expect(decision.outcome).toBe('rejected');
    expect(decision.statistic.pValue).toBe(1);
  });

  it('rejects a worse variant', () => {
    expect(decideImprovement(pairs({ better: 1, worse: 9, ties: 2 })).outcome).toBe('rejected');
  });

  it('needs at least five untied wins without a loss: four are not enough at 0.05', () => {
    expect(decideImprovement(pairs({ better: 4, worse: 0, ties: 8 })).outcome).toBe('rejected');
    expect(decideImprovement(pairs({ better: 5, worse: 0, ties: 7 })).outcome).toBe('promoted');
  });
});
