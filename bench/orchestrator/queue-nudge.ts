import type postgres from 'postgres';
import { RUN_QUEUE } from '../../services/agent-orchestrator/execution/run-queue.js';

/** How often the nudge wakes the workers while the last tasks drain. */
const NUDGE_EVERY_MS = 20;

/**
 * Wakes every pg-boss worker of `RUN_QUEUE` on `sql`'s database, as a `send` does: a NOTIFY on
 * pg-boss's channel (its `notifyChannelSql` for the `pgboss` schema), every 20 ms until `stop`.
 *
 * Why: a pg-boss worker that finished a job waits its polling interval (2 s in `RunQueue`) before
 * fetching again unless a NOTIFY came meanwhile, so once the clients stop sending, a backlog
 * drains at about one job per worker per 2 s (64 queued jobs: half a minute). The benchmark
 * nudges only after the measured window has closed, so its figures are untouched and the next run
 * starts on an empty queue in a second or two.
 */
export function nudgeWorkers(sql: postgres.Sql): { stop(): Promise<void> } {
  let stopped = false;
  let pending: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    pending = pending
      .then(
        () => sql`
          select pg_notify('pgboss_' || left(encode(sha224('pgboss'::bytea), 'hex'), 24), ${RUN_QUEUE})`,
      )
      // A lost nudge only slows the drain; the next one, 20 ms later, wakes them.
      .catch(() => {});
  }, NUDGE_EVERY_MS);
  return {
    stop: async () => {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      await pending;
    },
  };
}
