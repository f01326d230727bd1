import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import { parseAia } from './domain/aia-units.js';
import { computePayoutTable } from './operations/payout-table.js';
import { inEpoch, TEST_EPOCH, useEpochWorld } from './testing/epoch-world.js';

const world = useEpochWorld('order');
const AGENTS = 4;
let agents: string[] = [];

beforeAll(async () => {
  await world.drainPool();
  await world.fundPool('70');
  agents = [await world.agent(), await world.agent(), await world.agent(), world.stranger()];
}, 60_000);

/** A run of one of the agents, somewhere in TEST_EPOCH or just around it. */
const runArbitrary = fc.record({
  agent: fc.integer({ min: 0, max: AGENTS - 1 }),
  outcome: fc.constantFrom('succeeded', 'failed', 'cancelled') as fc.Arbitrary<
    AgentRunRecord['outcome']
  >,
  minute: fc.integer({ min: -5, max: 64 }),
  quality: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});
type RunSpec = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;

const recordOf = (spec: RunSpec): AgentRunRecord => ({
  run_id: randomUUID(),
  agent_id: agents[spec.agent] as string,
  task_id: randomUUID(),
  outcome: spec.outcome,
  cost: '0.5',
  duration_ms: 100,
  finished_at: inEpoch(TEST_EPOCH, spec.minute),
  ...(spec.quality === undefined ? {} : { quality: spec.quality / 100 }),
});

/** The epoch's table after taking `records` in, in that order, into empty tables. */
async function tableAfter(
  records: readonly AgentRunRecord[],
  rule: { budget: string; floor: number; cap: string },
) {
  await world.reset();
  await world.ingest(records);
  const { lines, payable, total } = await computePayoutTable(world.context(rule), TEST_EPOCH, 0);
  return { lines, payable, total };
}

describe('an epoch payout, whatever the order its runs arrive in', () => {
  it('is the same table, never above the budget or the pool', { timeout: 240_000 }, async () => {
    await fc.assert(
      fc.asyncProperty(
        fc
          .array(runArbitrary, { minLength: 1, maxLength: 14 })
          .map((specs) => specs.map(recordOf))
          .chain((records) =>
            fc.tuple(
              fc.constant(records),
              fc.shuffledSubarray(records, {
                minLength: records.length,
                maxLength: records.length,
              }),
            ),
          ),
        fc.record({
          budget: fc.constantFrom('25', '100', '0.000000000000000007'),
          floor: fc.constantFrom(0, 0.1, 0.3),
          cap: fc.constantFrom('1', '0.4', '0.25'),
        }),
        async ([records, shuffled], rule) => {
          const first = await tableAfter(records, rule);
          const second = await tableAfter(shuffled, rule);
          expect(second).toEqual(first);
          const total = parseAia(first.total, 'total');
          expect(total).toBeLessThanOrEqual(parseAia(rule.budget, 'budget'));
          expect(total).toBeLessThanOrEqual(parseAia('70', 'pool'));
          // The pool is read only when someone earns; then it pays min(budget, pool).
          const someoneEarns = first.lines.some((line) => line.accountId !== null);
          const payable = rule.budget === '100' ? '70' : rule.budget;
          expect(first.payable).toBe(someoneEarns ? payable : '0');
        },
      ),
      { numRuns: 25 },
    );
  });
});
