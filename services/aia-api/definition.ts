import { defineService, serviceEnv } from '../catalog/define.js';
import { upstreamEnv } from '../catalog/upstreams.js';
import { flag, issuerEnv } from '../platform/env.js';

const env = serviceEnv({
  ...issuerEnv,
  // Where it routes to: loopback at each catalog port unless set (the stacks set them).
  ...upstreamEnv([
    'economic-governor',
    'venture-discovery',
    'agent-orchestrator',
    'dkg-manager',
    'performance-tracker',
  ]),
  STRUCTURED_REPORTS_ENABLED: flag(true),
});

/**
 * The gateway every client talks to. Largest footprint of the six (the seed's figures): it
 * terminates all client traffic for 1000+ concurrent users and fans out to the other services.
 */
export const aiaApi = defineService({
  name: 'aia-api',
  description: 'AIA API gateway: authentication, rate limiting and routing to the core services',
  port: 8000,
  resources: {
    staging: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
    production: {
      requests: { cpu: '1000m', memory: '2Gi' },
      limits: { cpu: '4000m', memory: '8Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 3, maxReplicas: 20, targetCpuUtilizationPercent: 65 },
  },
  dataStores: ['redis'],
  // The one service the load balancer reaches, released blue-green for an instant rollback.
  exposure: 'public',
  rollout: 'blue-green',
  env,
  featureFlags: ['STRUCTURED_REPORTS_ENABLED'],
});
