import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.js';
import { ALL } from '../domain/scope.js';
import { ingestRun } from '../operations/ingest-run.js';
import { scorecardsOfAgent } from '../repository/scorecard-store.js';
import { hoursBefore, runRecord, TEST_WINDOWS } from '../testing/run-records.js';
import { useTrackerDatabase } from '../testing/tracker-database.js';
import { scorecardRefresh } from './scorecard-refresh.js';

const database = useTrackerDatabase('tracker_refresh');

/** One run of the worker, in a transaction of its own as the kit runs a leader's. */
const runRefresh = () =>
  database.sql.begin((tx) =>
    scorecardRefresh({ sql: database.sql, windows: TEST_WINDOWS }).run(
      tx as unknown as Database,
      new AbortController().signal,
    ),
  );
const card = async (agent: string, window: 'sliding' | 'decayed', skill = ALL) =>
  (await scorecardsOfAgent(database.sql, window, agent)).find((row) => row.skill === skill);

describe('the scorecard refresh', () => {
  it('moves windows that ended over an hour ago to now, so runs age out without new ones', async () => {
    const agent = randomUUID();
    const now = new Date();
    await database.sql.begin((tx) =>
      ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
        id: randomUUID(),
        record: runRecord(agent, { skill: 'archiving', finished_at: hoursBefore(now, 6 * 24) }),
      }),
    );
    const fresh = randomUUID();
    await database.sql.begin((tx) =>
      ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
        id: randomUUID(),
        record: runRecord(fresh, { finished_at: hoursBefore(now, 0.5) }),
      }),
    );
    const before = await card(agent, 'sliding');
    expect(before).toMatchObject({ runs: 1, successes: 1 });
    const untouched = await card(fresh, 'sliding');
    await database.sql`delete from tracker_dirty_rankings`;

    expect(await runRefresh()).toBe('idle');

    // Still inside the 7 days: the window moved but kept the run; its end is now.
    const moved = await card(agent, 'sliding');
    expect(moved).toMatchObject({ runs: 1 });
    expect(Date.parse(moved?.asOf ?? '')).toBeGreaterThanOrEqual(now.getTime() - 1_000);
    const decayed = await card(agent, 'decayed', 'archiving');
    expect(decayed?.runs).toBeLessThan(2 ** (-(6 * 24) / 72) + 1e-6);
    // A window that ended half an hour ago is left as it is.
    expect(await card(fresh, 'sliding')).toEqual(untouched);
    const dirty = await database.sql<{ window_name: string; skill: string }[]>`
      select distinct window_name, skill from tracker_dirty_rankings order by window_name, skill`;
    expect(dirty.map((d) => `${d.window_name}/${d.skill}`)).toEqual([
      `decayed/${ALL}`,
      'decayed/archiving',
      `sliding/${ALL}`,
      'sliding/archiving',
    ]);

    // Two days on, the run is out of the sliding window: nothing left to rank it by.
    await database.sql`update tracker_scorecards set as_of = as_of - interval '2 days'
               where agent_id = ${agent} or skill = 'archiving'`;
    await database.sql`update tracker_runs set finished_at = finished_at - interval '2 days'
               where agent_id = ${agent}`;
    await runRefresh();
    expect(await card(agent, 'sliding')).toMatchObject({ runs: 0, successes: 0, score: 0 });
  });
});
