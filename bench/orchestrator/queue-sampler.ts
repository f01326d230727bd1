import type postgres from 'postgres';
import { RUN_QUEUE } from '../../services/agent-orchestrator/execution/run-queue.js';

/** How often the sampler counts the queue's jobs during the measured window. */
const SAMPLE_EVERY_MS = 50;

/**
 * What the queue looked like over a window. A job is running from the commit of the fetch that
 * took it to the commit of its completion, so a worker in the middle of a fetch is not counted as
 * running: mean running below the slots says the workers spend that share of their time outside
 * jobs (fetching, or waiting for a NOTIFY or their polling interval).
 */
export interface QueueSample {
  /** Counts taken. */
  readonly samples: number;
  /** Mean jobs waiting (created or retry). */
  readonly meanQueued: number;
  /** Mean jobs running (active): at most the workers' slots (`localConcurrency` per replica). */
  readonly meanRunning: number;
}

/** Counts of one sample. */
export interface QueueCount {
  readonly queued: number;
  readonly running: number;
}

/** The means of `counts`, to hundredths; NaN when there are none. */
export function summarizeQueue(counts: readonly QueueCount[]): QueueSample {
  const mean = (pick: (count: QueueCount) => number) =>
    Math.round((counts.reduce((sum, count) => sum + pick(count), 0) / counts.length) * 100) / 100;
  return {
    samples: counts.length,
    meanQueued: mean((count) => count.queued),
    meanRunning: mean((count) => count.running),
  };
}

/**
 * Counts `RUN_QUEUE`'s waiting and running jobs in `pgboss.job` on `sql`'s database every 50 ms
 * until `stop`, which resolves with the counts. One connection, one indexed count per sample.
 */
export function sampleQueue(sql: postgres.Sql): { stop(): Promise<QueueCount[]> } {
  const counts: QueueCount[] = [];
  let pending: Promise<unknown> = Promise.resolve();
  const take = async () => {
    const [row] = await sql<{ queued: number; running: number }[]>`
      select count(*) filter (where state in ('created', 'retry'))::int as queued,
             count(*) filter (where state = 'active')::int as running
        from pgboss.job
       where name = ${RUN_QUEUE} and state in ('created', 'retry', 'active')`;
    if (row) counts.push(row);
  };
  const timer = setInterval(() => {
    pending = pending.then(take);
  }, SAMPLE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      await pending;
      return counts;
    },
  };
}
