import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { performanceRankingRecord } from '../../events/schemas/performance-rankings.js';
import type { Database } from '../../platform/db.js';
import { runRecord, TEST_WINDOWS } from '../testing/run-records.js';
import { useTrackerDatabase } from '../testing/tracker-database.js';
import { ingestRun } from './ingest-run.js';
import { publishRanks } from './publish-ranks.js';

const database = useTrackerDatabase('tracker_publish');

const ingest = (agent: string, outcome: 'succeeded' | 'failed', skill = 'writing') =>
  database.sql.begin((tx) =>
    ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
      id: randomUUID(),
      record: runRecord(agent, { outcome, skill }),
    }),
  );
const publish = () =>
  database.sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
/** The rankings records in the outbox, oldest first. */
const published = async () =>
  (
    await database.sql<{ key: string; payload: unknown }[]>`
      select key, payload from outbox where topic = 'aia.performance.rankings.v1' order by id`
  ).map((row) => ({ key: row.key, record: performanceRankingRecord.parse(row.payload) }));

describe('publishing ranks', () => {
  it('writes a rankings record for each agent whose global rank or score changed, and nothing when none did', async () => {
    const [a, b] = [randomUUID(), randomUUID()];
    await ingest(a, 'succeeded');
    await ingest(b, 'failed');
    expect(await publish()).toBeGreaterThan(0);
    const first = await published();
    expect(first.map(({ key, record }) => [key, record.agent_id, record.rank])).toEqual([
      [a, a, 1],
      [b, b, 2],
    ]);
    expect(first[0]?.record).toMatchObject({ window: 'sliding' });
    expect(first[0]?.record.score).toBeGreaterThan(0);

    expect(await publish()).toBe(0);
    expect(await published()).toHaveLength(2);

    // b overtakes a: both ranks change. Then a success of b changes only b's score.
    for (let i = 0; i < 3; i++) await ingest(b, 'succeeded');
    await publish();
    const overtaken = (await published()).slice(2);
    expect(overtaken.map(({ record }) => [record.agent_id, record.rank])).toEqual([
      [b, 1],
      [a, 2],
    ]);
    await ingest(b, 'succeeded', 'coding');
    await publish();
    expect(
      (await published()).slice(4).map(({ record }) => [record.agent_id, record.rank]),
    ).toEqual([[b, 1]]);
  });

  it('keeps a history row per change of rank, not per change of score', async () => {
    const skill = `history-${randomUUID()}`;
    const [a, b] = [randomUUID(), randomUUID()];
    await ingest(a, 'succeeded', skill);
    await ingest(b, 'failed', skill);
    await publish();
    await ingest(a, 'succeeded', skill);
    await publish();
    for (let i = 0; i < 4; i++) await ingest(b, 'succeeded', skill);
    await publish();
    const history = await database.sql<
      { agent_id: string; rank: number; previous_rank: number | null }[]
    >`
      select agent_id::text, rank, previous_rank from tracker_rank_history
       where window_name = 'sliding' and skill = ${skill} order by id`;
    expect(history.map((h) => [h.agent_id, h.rank, h.previous_rank])).toEqual([
      [a, 1, null],
      [b, 2, null],
      [b, 1, 2],
      [a, 2, 1],
    ]);
  });

  it('ranks a change whose transaction commits while the publisher runs, on its next pass', async () => {
    const [early, late] = [randomUUID(), randomUUID()];
    await ingest(early, 'succeeded', 'late-commit');
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let ingested = () => {};
    const inside = new Promise<void>((resolve) => {
      ingested = resolve;
    });
    const pending = database.sql.begin(async (tx) => {
      await ingestRun({ sql: database.sql, windows: TEST_WINDOWS }, tx as unknown as Database, {
        id: randomUUID(),
        record: runRecord(late, { skill: 'late-commit' }),
      });
      ingested();
      await held;
    });
    await inside;
    // The publisher takes the earlier marks and does not wait for the open transaction.
    await publish();
    const ranked = async () =>
      (
        await database.sql<{ agent_id: string }[]>`
          select agent_id::text from tracker_current_ranks
           where window_name = 'sliding' and skill = 'late-commit' order by rank`
      ).map((row) => row.agent_id);
    expect(await ranked()).toEqual([early]);
    release();
    await pending;
    await publish();
    expect(new Set(await ranked())).toEqual(new Set([early, late]));
  });
});
