import { describe, expect, it } from 'vitest';
import { useTrackerDatabase } from '../../services/performance-tracker/testing/tracker-database.js';
import { createPlainTables, measureIngest } from './measure-ingest.js';
import { addRoundOfRuns, buildScorecards, measureRerank, seedAgents } from './measure-rerank.js';

const database = useTrackerDatabase('tracker_bench', 6);

describe('the tracker benchmark, at a small scale', () => {
  it('ingests the same events both ways: the plain totals match the tracker’s scorecards', async () => {
    const { sql } = database;
    await createPlainTables(sql);
    const measured = await measureIngest(sql, {
      shape: { events: 60, agents: 6, skills: 3 },
      lanes: 3,
      windows: { slidingDays: 7, halfLifeHours: 72 },
      run: 1,
    });
    expect(measured.trackerPerSecond).toBeGreaterThan(0);
    expect(measured.plainPerSecond).toBeGreaterThan(0);
    const differing = await sql`
      select p.agent_id from bench_plain_totals p
        join tracker_scorecards s on s.agent_id = p.agent_id::text and s.window_name = 'sliding' and s.skill = '*'
       where s.runs <> p.runs or s.successes <> p.successes or s.failures <> p.failures`;
    const [counts] = await sql<{ plain: number; tracker: number }[]>`
      select (select count(*)::int from bench_plain_totals) as plain,
             (select count(*)::int from tracker_scorecards where window_name = 'sliding' and skill = '*') as tracker`;
    expect(counts).toEqual({ plain: 6, tracker: 6 });
    expect(differing).toHaveLength(0);
  });

  it('ranks the same agents in the same order as the plain SQL, first and after every score moved', async () => {
    const { sql } = database;
    await sql`truncate tracker_runs, tracker_scorecards, tracker_current_ranks, tracker_rank_history`;
    await seedAgents(sql, 300, 4);
    await buildScorecards(sql);
    const first = await measureRerank(sql);
    expect(first).toMatchObject({ mismatches: 0, changed: 300 });
    await addRoundOfRuns(sql, 1);
    const again = await measureRerank(sql);
    expect(again.mismatches).toBe(0);
    expect(again.changed).toBeGreaterThan(250);
  });
});
