import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentRunRecord } from '../events/schemas/agent-runs.js';
import type { Database } from '../platform/db.js';
import { ALL } from './domain/scope.js';
import { completionScore } from './domain/scorecard.js';
import { WINDOW_NAMES } from './domain/windows.js';
import { ingestRun } from './operations/ingest-run.js';
import { scorecardsOfAgent } from './repository/scorecard-store.js';
import { publishAll } from './testing/publish-all.js';
import {
  hoursBefore,
  storedScorecards,
  TEST_WINDOWS,
  TRACKER_TABLES,
} from './testing/run-records.js';
import { useTrackerDatabase } from './testing/tracker-database.js';

const database = useTrackerDatabase('tracker_properties');

const AGENT = randomUUID();
const END = new Date('2026-06-01T12:00:00Z');

/** A run of AGENT, up to ten days before END (so some fall outside the 7-day window). */
const runArbitrary = fc.record({
  hoursBack: fc.integer({ min: 0, max: 240 }),
  outcome: fc.constantFrom('succeeded', 'failed', 'cancelled') as fc.Arbitrary<
    AgentRunRecord['outcome']
  >,
  skill: fc.constantFrom('writing', 'Coding', undefined),
  cost: fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 })),
  durationMs: fc.integer({ min: 0, max: 60_000 }),
  quality: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});
type RunSpec = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;

const recordOf = (spec: RunSpec): AgentRunRecord => ({
  run_id: randomUUID(),
  agent_id: AGENT,
  task_id: randomUUID(),
  outcome: spec.outcome,
  cost: `${spec.cost[0]}.${String(spec.cost[1]).padStart(3, '0')}`,
  duration_ms: spec.durationMs,
  finished_at: hoursBefore(END, spec.hoursBack),
  ...(spec.skill === undefined ? {} : { skill: spec.skill }),
  ...(spec.quality === undefined ? {} : { quality: spec.quality / 100 }),
});

/** Takes the runs in, then lets the rank publisher bring the skills' scorecards up to date. */
async function ingestAll(records: readonly AgentRunRecord[]) {
  for (const record of records)
    await database.sql.begin((tx) =>
      ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
        id: randomUUID(),
        record,
      }),
    );
  await publishAll(database.sql, TEST_WINDOWS);
}
const reset = () => database.sql.unsafe(`truncate ${TRACKER_TABLES.join(', ')}`);
describe('the score', () => {
  it('never falls when a success is added, whole or weighted counts', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 1e-6, max: 1, noNaN: true }),
        (successes, failures, weight) => {
          const before = completionScore({ successes, failures });
          const after = completionScore({ successes: successes + weight, failures });
          expect(after).toBeGreaterThanOrEqual(before - 1e-12);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it("never falls when a success inside the window is added to an agent's runs", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArbitrary, { minLength: 1, maxLength: 10 }),
        fc.integer({ min: 0, max: 7 * 24 }),
        async (specs, hoursBack) => {
          await reset();
          const records = specs.map(recordOf);
          await ingestAll(records);
          const latest = Math.min(...specs.map((spec) => spec.hoursBack));
          // A success no later than the latest run: the windows stay where they are.
          const added = recordOf({
            hoursBack: Math.max(latest, hoursBack),
            outcome: 'succeeded',
            skill: undefined,
            cost: [0, 0],
            durationMs: 0,
            quality: undefined,
          });
          const overallBefore = await Promise.all(
            WINDOW_NAMES.map(async (w) =>
              (await scorecardsOfAgent(database.sql, w, AGENT)).find((r) => r.skill === ALL),
            ),
          );
          await ingestAll([added]);
          for (const [index, window] of WINDOW_NAMES.entries()) {
            const after = (await scorecardsOfAgent(database.sql, window, AGENT)).find(
              (r) => r.skill === ALL,
            );
            expect(after?.score).toBeGreaterThanOrEqual((overallBefore[index]?.score ?? 0) - 1e-12);
          }
          expect(overallBefore.every((card) => card !== undefined)).toBe(true);
        },
      ),
      { numRuns: 25 },
    );
  });
});

describe('scorecards', () => {
  it('are the same whatever order the runs of a window arrive in', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArbitrary, { minLength: 1, maxLength: 10 }).chain((specs) =>
          fc.tuple(
            fc.constant(specs.map(recordOf)),
            fc.shuffledSubarray(
              specs.map((_, i) => i),
              {
                minLength: specs.length,
                maxLength: specs.length,
              },
            ),
          ),
        ),
        async ([records, order]) => {
          await reset();
          await ingestAll(records);
          const inOrder = await storedScorecards(database.sql);
          await reset();
          await ingestAll(order.map((index) => records[index] as AgentRunRecord));
          expect(await storedScorecards(database.sql)).toEqual(inOrder);
        },
      ),
      { numRuns: 25 },
    );
  });
});
