import { randomUUID } from 'node:crypto';
import type { AgentRunRecord } from '../../services/events/schemas/agent-runs.js';
import type { WindowSettings } from '../../services/performance-tracker/domain/windows.js';
import { ingestRun } from '../../services/performance-tracker/operations/ingest-run.js';
import {
  publishRanks,
  RANKINGS_PER_RUN,
} from '../../services/performance-tracker/operations/publish-ranks.js';
import type { Database } from '../../services/platform/db.js';
import { type IngestShape, ingestEvents, lanesByAgent } from './bench-events.js';

/** One measured ingest run: the tracker's path and the plain SQL one over the same events. */
export interface IngestRun {
  readonly trackerPerSecond: number;
  readonly plainPerSecond: number;
}

/** The plain reference's tables: the events, and per-agent totals kept by upsert. */
export async function createPlainTables(sql: Database): Promise<void> {
  await sql`
    create table bench_plain_events (
      run_id uuid primary key, agent_id uuid not null, skill text, outcome text not null,
      cost numeric not null, duration_ms bigint not null, finished_at timestamptz not null)`;
  await sql`
    create table bench_plain_totals (
      agent_id uuid primary key, runs bigint not null, successes bigint not null, failures bigint not null)`;
}

/** Events per second of `handle` over `lanes`, `finish` (what is left once they are in) included. */
async function inLanes(
  events: readonly AgentRunRecord[],
  lanes: number,
  handle: (event: AgentRunRecord) => Promise<void>,
  finish: () => Promise<void> = async () => {},
): Promise<number> {
  const started = performance.now();
  await Promise.all(
    lanesByAgent(events, lanes).map(async (lane) => {
      for (const event of lane) await handle(event);
    }),
  );
  await finish();
  return events.length / ((performance.now() - started) / 1_000);
}

/**
 * The tracker's ingest path, event by event as its consumer handles them (one transaction each:
 * the `processed_events` claim, then `ingestRun`: the run kept, its agent's two scorecards
 * recomputed in both windows, its rankings marked), `lanes` at a time, split by agent as the
 * topic's partitions are; then, still timed, the rank publisher's passes until nothing is left
 * (the skills' scorecards recomputed once each, every changed ranking ranked). Against it, in
 * the same run, the plain SQL way to keep the same numbers: each event inserted and its agent's
 * totals upserted (`runs + 1`, ...), with the same transactions and lanes. Events per second
 * of each.
 */
export async function measureIngest(
  sql: Database,
  {
    shape,
    lanes,
    windows,
    run,
  }: {
    readonly shape: IngestShape;
    readonly lanes: number;
    readonly windows: WindowSettings;
    readonly run: number;
  },
): Promise<IngestRun> {
  const events = ingestEvents(shape, `bench-${run}`, 1_000 + run);
  const context = { sql, windows };
  const trackerPerSecond = await inLanes(
    events,
    lanes,
    (record) =>
      sql.begin(async (tx) => {
        const id = randomUUID();
        await tx`insert into processed_events (consumer_group, event_id, topic)
               values ('performance-tracker', ${id}, 'aia.agents.runs.v1') on conflict do nothing`;
        await ingestRun(context, tx as unknown as Database, { id, record });
      }),
    async () => {
      while (
        (await sql.begin((tx) => publishRanks(tx as unknown as Database, windows))) >=
        RANKINGS_PER_RUN
      );
    },
  );
  const plainPerSecond = await inLanes(events, lanes, (record) =>
    sql.begin(async (tx) => {
      await tx`insert into bench_plain_events (run_id, agent_id, skill, outcome, cost, duration_ms, finished_at)
               values (${record.run_id}, ${record.agent_id}, ${record.skill ?? null}, ${record.outcome},
                       ${record.cost}::numeric, ${record.duration_ms}, ${record.finished_at})`;
      const success = record.outcome === 'succeeded' ? 1 : 0;
      await tx`insert into bench_plain_totals as t (agent_id, runs, successes, failures)
               values (${record.agent_id}, 1, ${success}, ${1 - success})
               on conflict (agent_id) do update set runs = t.runs + 1,
                 successes = t.successes + excluded.successes, failures = t.failures + excluded.failures`;
    }),
  );
  return { trackerPerSecond, plainPerSecond };
}
