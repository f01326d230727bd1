import type { PeriodicWorker } from '../../platform/workers.js';
import { type DiscoveryContext, nowOf } from '../operations/discovery-context.js';
import { scheduleDueRun } from '../operations/runs.js';

/**
 * Queues a scheduled run when a source's interval has passed since its last fetch: at most one
 * per `intervalMs` slot (default a minute), whichever replica asks first.
 */
export const runScheduler = (context: DiscoveryContext, intervalMs = 60_000): PeriodicWorker => ({
  name: 'discovery-schedule',
  intervalMs,
  run: async () => {
    await scheduleDueRun(context, nowOf(context), intervalMs);
    return 'idle';
  },
});
