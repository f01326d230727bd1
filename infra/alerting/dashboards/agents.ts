import { type StackName, catalog as serviceCatalog } from '../../../services/catalog.js';
import type { Catalog } from './catalog.js';
import type { Dashboard } from './dashboard.js';
import { outcomeDashboard } from './outcome-dashboard.js';

/** Titles of the panels of the agents dashboard. */
export const AGENT_PANELS = {
  rate: 'Agent runs by outcome',
  failures: 'Agent failure ratio',
} as const;

/**
 * Agent runs of the services that set `agentFailurePercent`: rate by outcome, and the share
 * that failed against that threshold.
 */
export function agentsDashboard(stack: StackName, catalog: Catalog = serviceCatalog): Dashboard {
  return outcomeDashboard({
    name: 'aia-agents',
    title: 'AIA Platform — agents',
    description: 'Agent runs of the agent hierarchy: succeeded and failed.',
    stack,
    catalog,
    tags: ['agents'],
    metric: 'agent_runs_total',
    outcome: { label: 'outcome', failed: 'failed' },
    breakdown: [],
    threshold: 'agentFailurePercent',
    panels: AGENT_PANELS,
    events: 'Agent runs',
  });
}
