import { Counter, Gauge, type Registry } from 'prom-client';
import type { TrackerMetrics } from './operations/tracker-context.js';

/**
 * The tracker's metrics on its registry: `performance_runs_ingested_total{outcome}` (declared in
 * the catalog, so the kit registered it at zero) and `performance_ingest_lag_seconds`, how long
 * after it finished the last run was taken into the scorecards (0 until one is). A lag that
 * grows says the consumer falls behind the orchestrator.
 */
export function createTrackerMetrics(registry: Registry): TrackerMetrics {
  const runsIngested = registry.getSingleMetric('performance_runs_ingested_total');
  if (!(runsIngested instanceof Counter))
    throw new Error(
      'performance_runs_ingested_total is not registered: is it declared in the catalog?',
    );
  const ingestLag =
    (registry.getSingleMetric('performance_ingest_lag_seconds') as Gauge | undefined) ??
    new Gauge({
      name: 'performance_ingest_lag_seconds',
      help: 'Seconds between the end of the last run taken into the scorecards and its taking in',
      registers: [registry],
    });
  ingestLag.set(0);
  return { runsIngested: runsIngested as Counter<'outcome'>, ingestLag };
}
