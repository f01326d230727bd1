import { Counter, type Registry } from 'prom-client';
import type { DiscoveryMetrics } from './operations/discovery-context.js';

const counter = (registry: Registry, name: string) => {
  const metric = registry.getSingleMetric(name);
  if (!(metric instanceof Counter))
    throw new Error(`${name} is not registered: is it declared in the catalog?`);
  return metric;
};

/**
 * Discovery's counters, declared in the catalog (so the kit registered them at zero):
 * `venture_discovery_runs_total{outcome}`, `venture_signals_ingested_total`,
 * `venture_opportunities_scored_total`, `venture_discovery_llm_assist_total{task,outcome}`.
 */
export const discoveryMetrics = (registry: Registry): DiscoveryMetrics => ({
  runs: counter(registry, 'venture_discovery_runs_total') as Counter<'outcome'>,
  signals: counter(registry, 'venture_signals_ingested_total'),
  opportunities: counter(registry, 'venture_opportunities_scored_total'),
  assist: counter(registry, 'venture_discovery_llm_assist_total') as Counter<'task' | 'outcome'>,
});
