import { Counter, Gauge, type Registry } from 'prom-client';
import type { RunOutcome } from './run-task.js';

/**
 * `agent_runs_total{outcome}` (declared in the catalog; the kit registers it at zero), counted
 * once per run that finished its task, and `agent_run_queue_depth`, the runs queued or running
 * (read from pg-boss when Prometheus scrapes).
 */
export function createRunMetrics(registry: Registry, depth: () => Promise<number>) {
  const runs = registry.getSingleMetric('agent_runs_total');
  if (!(runs instanceof Counter))
    throw new Error('agent_runs_total is not registered: is it declared in the catalog?');
  new Gauge({
    name: 'agent_run_queue_depth',
    help: 'Agent runs queued or running (pg-boss queue agent-runs)',
    registers: [registry],
    async collect() {
      // A scrape while the queue is down (start-up, shutdown) reports nothing new.
      this.set(await depth().catch(() => Number.NaN));
    },
  });
  return { finished: (outcome: RunOutcome) => runs.inc({ outcome }) };
}
