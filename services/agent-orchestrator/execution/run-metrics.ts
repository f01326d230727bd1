import { Counter, Gauge, type Registry } from 'prom-client';
import type { HeldRun, RunQueue } from './run-queue.js';
import type { RunOutcome } from './run-task.js';

/** How one attempt at a step ended: done, thrown (retried while attempts remain), or aborted. */
type AttemptResult = 'completed' | 'failed' | 'aborted';

/**
 * `agent_runs_total{outcome}` (declared in the catalog; the kit registers it at zero), counted
 * once per run that finished its task; `agent_run_queue_depth`, the runs queued or running, and
 * `agent_run_jobs{state}` (queued, active = leased, deferred = waiting for a retry), read from
 * pg-boss when Prometheus scrapes; `agent_run_attempts_total{step,result}`, each attempt a
 * worker of this replica made — `aborted` when its lease was lost, it expired, or its task was
 * canceled.
 */
export function createRunMetrics(registry: Registry, counts: () => ReturnType<RunQueue['counts']>) {
  const runs = registry.getSingleMetric('agent_runs_total');
  if (!(runs instanceof Counter))
    throw new Error('agent_runs_total is not registered: is it declared in the catalog?');
  // A scrape while the queue is down (start-up, shutdown) reports nothing new.
  const unknown = { queued: Number.NaN, active: Number.NaN, deferred: Number.NaN };
  new Gauge({
    name: 'agent_run_queue_depth',
    help: 'Agent runs queued or running (pg-boss queue agent-runs)',
    registers: [registry],
    async collect() {
      const now = await counts().catch(() => unknown);
      this.set(now.queued + now.active);
    },
  });
  new Gauge({
    name: 'agent_run_jobs',
    help: 'Agent run jobs by state: queued (ready), active (leased to a worker), deferred (retry backoff)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const now = await counts().catch(() => unknown);
      for (const state of ['queued', 'active', 'deferred'] as const)
        this.set({ state }, now[state]);
    },
  });
  const attempts = new Counter({
    name: 'agent_run_attempts_total',
    help: 'Attempts at agent run steps on this replica, by step and result',
    labelNames: ['step', 'result'],
    registers: [registry],
  });
  return {
    finished: (outcome: RunOutcome) => runs.inc({ outcome }),
    /** Runs one attempt, counting how it ended; rethrows a failure for pg-boss to retry. */
    attempt: async (held: HeldRun, work: () => Promise<void>): Promise<void> => {
      let result: AttemptResult = 'completed';
      try {
        await work();
        if (held.signal.aborted) result = 'aborted';
      } catch (error) {
        result = held.signal.aborted ? 'aborted' : 'failed';
        throw error;
      } finally {
        attempts.inc({ step: held.step, result });
      }
    },
  };
}
