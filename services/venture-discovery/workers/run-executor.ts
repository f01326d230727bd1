import type { PeriodicWorker } from '../../platform/workers.js';
import type { DiscoveryContext } from '../operations/discovery-context.js';
import { executeNextRun } from '../operations/execute-run.js';

/**
 * Carries out queued discovery runs on every replica (each run is leased to one: the claim skips
 * locked rows, and a run whose executor died is taken over when its lease expires). Looks every
 * `intervalMs` (default 2 s) and at once again after a run.
 */
export const runExecutor = (context: DiscoveryContext, intervalMs = 2_000): PeriodicWorker => ({
  name: 'discovery-runs',
  intervalMs,
  run: async () => ((await executeNextRun(context)) === 'ran' ? 'more' : 'idle'),
});
