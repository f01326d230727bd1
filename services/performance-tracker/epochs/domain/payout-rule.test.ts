import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatAia, parseAia, parseFraction } from './aia-units.js';
import { type PayoutRule, splitPayout } from './payout-rule.js';

const aia = (text: string) => parseAia(text, 'test');
const rule = (
  fields: Partial<{ budget: string; floor: number; cap: string }> = {},
): PayoutRule => ({
  budget: aia(fields.budget ?? '1000'),
  scoreFloor: fields.floor ?? 0,
  capShare: parseFraction(fields.cap ?? '1', 'cap'),
});
const amounts = (split: ReturnType<typeof splitPayout>) =>
  Object.fromEntries(split.lines.map((line) => [line.agentId, formatAia(line.amount)]));

describe('splitting an epoch budget', () => {
  it('pays in proportion to the score above the floor', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.625 },
        { agentId: 'b', score: 0.375 },
        { agentId: 'c', score: 0.125 },
      ],
      rule({ floor: 0.125 }),
      aia('5000'),
    );
    // Weights 0.5 and 0.25, exact in binary (c sits on the floor): two thirds and one third of 1000.
    expect(amounts(split)).toEqual({
      a: '666.666666666666666666',
      b: '333.333333333333333333',
      c: '0',
    });
    expect(formatAia(split.total)).toBe('999.999999999999999999');
    expect(split.total).toBeLessThanOrEqual(split.payable);
  });

  it('caps an agent and splits what the cap leaves between the others', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.9 },
        { agentId: 'b', score: 0.1 },
        { agentId: 'c', score: 0.1 },
      ],
      rule({ cap: '0.5' }),
      aia('5000'),
    );
    // a's proportional part (818.18) passes the cap (500); b and c split the other 500 evenly.
    expect(amounts(split)).toEqual({ a: '500', b: '250', c: '250' });
    expect(split.lines.map((line) => line.capped)).toEqual([true, false, false]);
  });

  it('caps again when the redistributed part pushes another agent past the cap', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.9 },
        { agentId: 'b', score: 0.5 },
        { agentId: 'c', score: 0.05 },
      ],
      rule({ budget: '100', cap: '0.4' }),
      aia('100'),
    );
    // a capped at 40 first; then b's part of the 60 left (54.5) passes 40 too; c gets the rest.
    expect(amounts(split)).toEqual({ a: '40', b: '40', c: '20' });
  });

  it('leaves in the pool what nobody may take when every earner is capped', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.8 },
        { agentId: 'b', score: 0.4 },
      ],
      rule({ cap: '0.25' }),
      aia('1000'),
    );
    expect(amounts(split)).toEqual({ a: '250', b: '250' });
    expect(formatAia(split.total)).toBe('500');
  });

  it('pays no more than the pool holds when it holds less than the budget', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.5 },
        { agentId: 'b', score: 0.5 },
      ],
      rule({ budget: '1000' }),
      aia('30'),
    );
    expect(formatAia(split.payable)).toBe('30');
    expect(amounts(split)).toEqual({ a: '15', b: '15' });
  });

  it('rounds each amount down to 10^-18 AIA, leaving the remainder in the pool', () => {
    const split = splitPayout(
      [
        { agentId: 'a', score: 0.3 },
        { agentId: 'b', score: 0.3 },
        { agentId: 'c', score: 0.3 },
      ],
      rule({ budget: '0.000000000000000002' }),
      aia('1'),
    );
    expect(amounts(split)).toEqual({ a: '0', b: '0', c: '0' });
    const larger = splitPayout(
      [
        { agentId: 'a', score: 0.3 },
        { agentId: 'b', score: 0.3 },
        { agentId: 'c', score: 0.3 },
      ],
      rule({ budget: '1' }),
      aia('1'),
    );
    expect(amounts(larger)).toEqual({
      a: '0.333333333333333333',
      b: '0.333333333333333333',
      c: '0.333333333333333333',
    });
  });

  it('pays nothing for an empty epoch, an epoch at the floor, or an empty pool', () => {
    expect(splitPayout([], rule(), aia('10')).total).toBe(0n);
    expect(splitPayout([{ agentId: 'a', score: 0.2 }], rule({ floor: 0.2 }), aia('10')).total).toBe(
      0n,
    );
    expect(splitPayout([{ agentId: 'a', score: 0.9 }], rule(), 0n).total).toBe(0n);
    expect(splitPayout([{ agentId: 'a', score: 0.9 }], rule(), -5n).payable).toBe(0n);
  });
});

const scoresArbitrary = fc.uniqueArray(
  fc.record({
    agentId: fc.stringMatching(/^[a-f0-9]{8}$/),
    score: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
  { selector: (entry) => entry.agentId, maxLength: 30 },
);
const ruleArbitrary = fc.record({
  budget: fc.bigInt({ min: 1n, max: 10n ** 30n }),
  scoreFloor: fc.double({ min: 0, max: 0.99, noNaN: true }),
  capShare: fc.bigInt({ min: 1n, max: 10n ** 18n }),
});

describe('the split, for any scores and rule', () => {
  it('never pays more than the budget, the pool, or the cap per agent', () => {
    fc.assert(
      fc.property(
        scoresArbitrary,
        ruleArbitrary,
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (scores, r, pool) => {
          const split = splitPayout(scores, r, pool);
          expect(split.total).toBeLessThanOrEqual(r.budget);
          expect(split.total).toBeLessThanOrEqual(pool);
          for (const line of split.lines) {
            expect(line.amount).toBeGreaterThanOrEqual(0n);
            expect(line.amount).toBeLessThanOrEqual(split.capAmount);
            if (line.score <= r.scoreFloor) expect(line.amount).toBe(0n);
          }
        },
      ),
      { numRuns: 1_000 },
    );
  });

  it('does not depend on the order the scores come in', () => {
    fc.assert(
      fc.property(
        scoresArbitrary.chain((scores) =>
          fc.tuple(
            fc.constant(scores),
            fc.shuffledSubarray(scores, { minLength: scores.length, maxLength: scores.length }),
          ),
        ),
        ruleArbitrary,
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        ([scores, shuffled], r, pool) => {
          expect(splitPayout(shuffled, r, pool)).toEqual(splitPayout(scores, r, pool));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('pays a higher score at least as much as a lower one', () => {
    fc.assert(
      fc.property(
        scoresArbitrary,
        ruleArbitrary,
        fc.bigInt({ min: 0n, max: 10n ** 30n }),
        (scores, r, pool) => {
          const lines = [...splitPayout(scores, r, pool).lines].sort((a, b) => a.score - b.score);
          for (let i = 1; i < lines.length; i++)
            expect((lines[i] as (typeof lines)[number]).amount).toBeGreaterThanOrEqual(
              (lines[i - 1] as (typeof lines)[number]).amount,
            );
        },
      ),
      { numRuns: 500 },
    );
  });
});
