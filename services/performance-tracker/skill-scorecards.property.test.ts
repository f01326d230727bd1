import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AgentRunRecord } from '../events/schemas/agent-runs.js';
import type { Database } from '../platform/db.js';
import { ALL, type Scope } from './domain/scope.js';
import { WINDOW_NAMES } from './domain/windows.js';
import { ingestRun } from './operations/ingest-run.js';
import { publishRanks } from './operations/publish-ranks.js';
import { recomputeScorecard } from './operations/recompute-scorecards.js';
import { publishAll } from './testing/publish-all.js';
import {
  hoursBefore,
  storedScorecards,
  TEST_WINDOWS,
  TRACKER_TABLES,
} from './testing/run-records.js';
import { useTrackerDatabase } from './testing/tracker-database.js';

const database = useTrackerDatabase('tracker_skill_scorecards');

const AGENTS = [randomUUID(), randomUUID(), randomUUID()];
const END = new Date('2026-06-01T12:00:00Z');

/** A run of one of three agents, up to ten days before END: in any order, so many arrive late. */
const runArbitrary = fc.record({
  agent: fc.integer({ min: 0, max: AGENTS.length - 1 }),
  hoursBack: fc.integer({ min: 0, max: 240 }),
  outcome: fc.constantFrom('succeeded', 'failed', 'cancelled') as fc.Arbitrary<
    AgentRunRecord['outcome']
  >,
  // ' Coding' and 'coding' are one skill.
  skill: fc.constantFrom('writing', 'Coding', ' coding', undefined),
  cost: fc.tuple(fc.integer({ min: 0, max: 99 }), fc.integer({ min: 0, max: 999 })),
  durationMs: fc.integer({ min: 0, max: 60_000 }),
  quality: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});
type RunSpec = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** What reaches the tracker, in order: a run, a run delivered again, or a rank publisher's pass. */
const stepArbitrary = fc.oneof(
  { weight: 6, arbitrary: runArbitrary.map((run) => ({ kind: 'run' as const, run })) },
  {
    weight: 2,
    arbitrary: fc.nat().map((pick) => ({ kind: 'again' as const, pick })),
  },
  { weight: 1, arbitrary: fc.constant({ kind: 'publish' as const }) },
);

const recordOf = (spec: RunSpec): AgentRunRecord => ({
  run_id: randomUUID(),
  agent_id: AGENTS[spec.agent] as string,
  task_id: randomUUID(),
  outcome: spec.outcome,
  cost: `${spec.cost[0]}.${String(spec.cost[1]).padStart(3, '0')}`,
  duration_ms: spec.durationMs,
  finished_at: hoursBefore(END, spec.hoursBack),
  ...(spec.skill === undefined ? {} : { skill: spec.skill }),
  ...(spec.quality === undefined ? {} : { quality: spec.quality / 100 }),
});

const ingest = (record: AgentRunRecord) =>
  database.sql.begin((tx) =>
    ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
      id: randomUUID(),
      record,
    }),
  );

/** Every scope the kept runs have: each agent overall and per skill, each skill overall. */
async function scopesOfKeptRuns(): Promise<Scope[]> {
  const rows = await database.sql<{ agent_id: string; skill: string | null }[]>`
    select distinct agent_id::text, skill from tracker_runs`;
  const keys = new Set<string>();
  for (const { agent_id: agent, skill } of rows) {
    keys.add(JSON.stringify([agent, ALL]));
    if (skill !== null) keys.add(JSON.stringify([agent, skill])).add(JSON.stringify([ALL, skill]));
  }
  return [...keys].map((key) => {
    const [agentId, skill] = JSON.parse(key) as [string, string];
    return { agentId, skill };
  });
}

/** Every scorecard thrown away and computed again from the kept runs alone. */
async function fullRecompute(): Promise<void> {
  const scopes = await scopesOfKeptRuns();
  await database.sql.begin(async (tx) => {
    await tx`delete from tracker_scorecards`;
    for (const window of WINDOW_NAMES)
      for (const scope of scopes)
        await recomputeScorecard(tx as unknown as Database, window, scope, TEST_WINDOWS);
  });
}

const reset = () => database.sql.unsafe(`truncate ${TRACKER_TABLES.join(', ')}`);

describe('scorecards kept as runs arrive (skills once per batch)', () => {
  it('are the scorecards a full recompute from the kept runs gives: late runs, runs delivered again, publisher passes anywhere', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(stepArbitrary, { minLength: 1, maxLength: 16 }), async (steps) => {
        await reset();
        const sent: AgentRunRecord[] = [];
        for (const step of steps) {
          if (step.kind === 'run') {
            const record = recordOf(step.run);
            sent.push(record);
            expect(await ingest(record)).toBe('recorded');
          } else if (step.kind === 'again' && sent.length > 0) {
            expect(await ingest(sent[step.pick % sent.length] as AgentRunRecord)).toBe(
              'duplicate_run',
            );
          } else if (step.kind === 'publish') {
            await database.sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
          }
        }
        await publishAll(database.sql, TEST_WINDOWS);
        const kept = await storedScorecards(database.sql);
        await fullRecompute();
        expect(kept).toEqual(await storedScorecards(database.sql));
        // Every skill that has runs has its own scorecard in both windows.
        const skills = new Set(
          sent.flatMap((r) => (r.skill ? [r.skill.trim().toLowerCase()] : [])),
        );
        expect(kept.filter((row) => row.agent_id === ALL).length).toBe(2 * skills.size);
      }),
      { numRuns: 30 },
    );
  });

  it('a replay of the same runs from the start, in another order, rebuilds the same scorecards', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(runArbitrary, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 12 }),
        async (specs, every) => {
          await reset();
          const records = specs.map(recordOf);
          for (const [index, record] of records.entries()) {
            await ingest(record);
            if (index % every === 0) await publishAll(database.sql, TEST_WINDOWS);
          }
          await publishAll(database.sql, TEST_WINDOWS);
          const first = await storedScorecards(database.sql);
          await reset();
          for (const record of [...records].reverse()) await ingest(record);
          await publishAll(database.sql, TEST_WINDOWS);
          expect(await storedScorecards(database.sql)).toEqual(first);
        },
      ),
      { numRuns: 20 },
    );
  });
});
