import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAia, parseAia } from './aia-amount.js';
import { minAia, remainingAia, splitBudget, sumAia } from './budget-split.js';

const aia = fc.bigInt({ min: 0n, max: 10n ** 24n }).map(formatAia);

describe('budget split', () => {
  it('shares what is left after planning in children + 1 parts, each capped by the child', () => {
    expect(splitBudget('10', '1', ['100', '100'])).toEqual(['3', '3']);
    expect(splitBudget('10', '1', ['2', '100'])).toEqual(['2', '3']);
    expect(splitBudget('1', '0', ['5', '5'])).toEqual([
      '0.333333333333333333',
      '0.333333333333333333',
    ]);
    expect(splitBudget('1', '2', ['5'])).toEqual(['0']);
  });

  it('never gives the children more than is left, and is a function of its inputs', () => {
    fc.assert(
      fc.property(
        aia,
        aia,
        fc.array(aia, { minLength: 1, maxLength: 8 }),
        (budget, spent, caps) => {
          const parts = splitBudget(budget, spent, caps);
          expect(parts).toHaveLength(caps.length);
          const total = parts.reduce((sum, part) => sum + parseAia(part), 0n);
          const left = parseAia(budget) - parseAia(spent);
          expect(total <= (left > 0n ? left : 0n)).toBe(true);
          for (const [index, part] of parts.entries())
            expect(parseAia(part) <= parseAia(caps[index] as string)).toBe(true);
          expect(splitBudget(budget, spent, caps)).toEqual(parts);
        },
      ),
    );
  });

  it('adds, subtracts (not below zero) and takes minimums exactly', () => {
    expect(sumAia('0.1', '0.2')).toBe('0.3');
    expect(remainingAia('1', '0.25', '0.5')).toBe('0.25');
    expect(remainingAia('1', '3')).toBe('0');
    expect(minAia('0.000000000000000001', '1')).toBe('0.000000000000000001');
  });

  it('refuses an amount that is not AIA, naming the field', () => {
    expect(() => parseAia('1e3', 'metadata.budget_aia')).toThrow(/metadata\.budget_aia/);
    expect(() => parseAia('-1')).toThrow(/not AIA/);
    expect(() => parseAia('0.1234567890123456789')).toThrow();
  });
});
