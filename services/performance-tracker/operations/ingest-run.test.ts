import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../platform/db.js';
import { ALL } from '../domain/scope.js';
import { scorecardOfSkill } from '../repository/scorecard-store.js';
import { runRecord, TEST_WINDOWS, TRACKER_TABLES } from '../testing/run-records.js';
import { useTrackerDatabase } from '../testing/tracker-database.js';
import { ingestRun } from './ingest-run.js';
import { publishRanks } from './publish-ranks.js';

const database = useTrackerDatabase('tracker_ingest_run');
const context = () => ({ sql: database.sql, windows: TEST_WINDOWS });

beforeEach(() => database.sql.unsafe(`truncate ${TRACKER_TABLES.join(', ')}`));

const skillCards = (skill: string) =>
  Promise.all(
    (['sliding', 'decayed'] as const).map((window) =>
      scorecardOfSkill(database.sql, window, skill),
    ),
  );

describe('taking a run in', () => {
  it("recomputes its agent's scorecards at once and leaves its skill's to the publisher's next pass", async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    for (const agent of [first, second, first])
      await database.sql.begin((tx) =>
        ingestRun(context(), tx as unknown as Database, {
          id: randomUUID(),
          record: runRecord(agent, { skill: 'Triage' }),
        }),
      );
    const agents = await database.sql<{ agent_id: string; skill: string; runs: number }[]>`
      select agent_id, skill, runs from tracker_scorecards
       where window_name = 'sliding'`;
    expect(agents).toHaveLength(4);
    expect(agents).toEqual(
      expect.arrayContaining([
        { agent_id: first, skill: ALL, runs: 2 },
        { agent_id: first, skill: 'triage', runs: 2 },
        { agent_id: second, skill: ALL, runs: 1 },
        { agent_id: second, skill: 'triage', runs: 1 },
      ]),
    );
    expect(await skillCards('triage')).toEqual([undefined, undefined]);
    const marks = await database.sql<{ key: string }[]>`
      select distinct window_name || '/' || skill as key from tracker_dirty_rankings order by 1`;
    expect(marks.map((m) => m.key)).toEqual([
      `decayed/${ALL}`,
      'decayed/triage',
      `sliding/${ALL}`,
      'sliding/triage',
    ]);

    await database.sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
    const [sliding, decayed] = await skillCards('triage');
    expect(sliding).toMatchObject({ agentId: ALL, skill: 'triage', runs: 3, successes: 3 });
    expect(decayed?.runs).toBeCloseTo(3, 3);
  });

  it("holds only its agent's lock, so runs of other agents in the same skill do not queue behind it", async () => {
    const held = await database.sql.begin(async (tx) => {
      await ingestRun(context(), tx as unknown as Database, {
        id: randomUUID(),
        record: runRecord(randomUUID(), { skill: 'triage' }),
      });
      return tx<{ n: number }[]>`
        select count(*)::int as n from pg_locks
         where locktype = 'advisory' and pid = pg_backend_pid() and granted`;
    });
    expect(held[0]?.n).toBe(1);
  });
});
