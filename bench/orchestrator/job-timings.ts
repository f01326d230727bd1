import { setTimeout as sleep } from 'node:timers/promises';
import type postgres from 'postgres';
import { RUN_QUEUE } from '../../services/agent-orchestrator/execution/run-queue.js';

/** When pg-boss created, started and completed a job, in epoch milliseconds (the server's clock). */
export interface JobTiming {
  readonly createdAt: number;
  readonly startedAt: number;
  readonly completedAt: number;
}

/** pg-boss completes a job just after its handler returned: give the last ones this long. */
const COMPLETION_WAIT_MS = 5_000;

/**
 * The timings of the run jobs `ids` (the orchestrator's task ids, or the reference's job ids)
 * from `pgboss.job`, once every one of them is completed. Throws naming a job that is missing or
 * not completed within 5 s.
 */
export async function readJobTimings(
  sql: postgres.Sql,
  ids: readonly string[],
): Promise<Map<string, JobTiming>> {
  const deadline = Date.now() + COMPLETION_WAIT_MS;
  for (;;) {
    const rows = await sql<
      { id: string; created: number; started: number | null; completed: number | null }[]
    >`
      select id::text as id,
             extract(epoch from created_on)::float8 * 1000 as created,
             extract(epoch from started_on)::float8 * 1000 as started,
             extract(epoch from completed_on)::float8 * 1000 as completed
        from pgboss.job
       where name = ${RUN_QUEUE} and id = any(${ids as string[]}::uuid[])`;
    const timings = new Map<string, JobTiming>();
    for (const row of rows) {
      if (row.started !== null && row.completed !== null)
        timings.set(row.id, {
          createdAt: row.created,
          startedAt: row.started,
          completedAt: row.completed,
        });
    }
    if (timings.size === ids.length) return timings;
    if (Date.now() > deadline) {
      const missing = ids.find((id) => !timings.has(id));
      throw new Error(`job ${missing} of ${RUN_QUEUE} is missing or not completed in pgboss.job`);
    }
    await sleep(100);
  }
}

/**
 * When each of the tasks `ids` reached its final status (`a2a_tasks.status_at`, the worker's clock
 * when it wrote completed), in epoch milliseconds.
 */
export async function readTaskCompletions(
  sql: postgres.Sql,
  ids: readonly string[],
): Promise<Map<string, number>> {
  const rows = await sql<{ id: string; finished: number }[]>`
    select id, extract(epoch from status_at)::float8 * 1000 as finished
      from a2a_tasks
     where id = any(${ids as string[]}::text[]) and state = 'TASK_STATE_COMPLETED'`;
  return new Map(rows.map((row) => [row.id, row.finished]));
}
