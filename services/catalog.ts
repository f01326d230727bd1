import { agentOrchestrator } from './agent-orchestrator/definition.js';
import { aiaApi } from './aia-api/definition.js';
import type { ServiceDefinition } from './catalog/types.js';
import { dkgManager } from './dkg-manager/definition.js';
import { economicGovernor } from './economic-governor/definition.js';
import { performanceTracker } from './performance-tracker/definition.js';
import { ventureDiscovery } from './venture-discovery/definition.js';

export * from './catalog/types.js';

/**
 * The service catalog: each core service described once. Services parse their configuration
 * with `env`; the infra program, the alert generator and the policy pack read the rest.
 */
export const catalog = {
  'aia-api': aiaApi,
  'economic-governor': economicGovernor,
  'venture-discovery': ventureDiscovery,
  'agent-orchestrator': agentOrchestrator,
  'dkg-manager': dkgManager,
  'performance-tracker': performanceTracker,
} as const;

export type ServiceName = keyof typeof catalog;

export const serviceNames = Object.keys(catalog) as ServiceName[];

export function isServiceName(name: string): name is ServiceName {
  return Object.hasOwn(catalog, name);
}

/** The definition of `name`, typed loosely for code that treats all services alike. */
export function serviceDefinition(name: ServiceName): ServiceDefinition {
  return catalog[name];
}
