import { agentOrchestratorModule } from './agent-orchestrator/module.js';
import { aiaApiModule } from './aia-api/module.js';
import type { ServiceName } from './catalog.js';
import { dkgManagerModule } from './dkg-manager/module.js';
import { economicGovernorModule } from './economic-governor/module.js';
import { performanceTrackerModule } from './performance-tracker/module.js';
import type { ServiceModule } from './platform/module.js';
import { ventureDiscoveryModule } from './venture-discovery/module.js';

/**
 * Each service's domain: routes (under `/v1`), start-up work and workers. Services without an
 * entry serve the kit's endpoints and an OpenAPI document of their own.
 */
export const serviceModules: Partial<Record<ServiceName, ServiceModule>> = {
  'agent-orchestrator': agentOrchestratorModule,
  'aia-api': aiaApiModule,
  'dkg-manager': dkgManagerModule,
  'economic-governor': economicGovernorModule,
  'performance-tracker': performanceTrackerModule,
  'venture-discovery': ventureDiscoveryModule,
};
