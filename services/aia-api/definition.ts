import { z } from 'zod';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from '../catalog/defaults.js';
import type { ServiceDefinition } from '../catalog/types.js';
import {
  authEnv,
  flag,
  httpEnv,
  rateLimitEnv,
  redisEnv,
  requiredWhenDeployed,
} from '../platform/env.js';

const upstream = (port: number) =>
  z.url({ error: 'expected an http(s) URL' }).default(`http://127.0.0.1:${port}`);

const env = z
  .object({
    ...httpEnv,
    ...authEnv,
    ...rateLimitEnv,
    ...redisEnv,
    ECONOMIC_GOVERNOR_URL: upstream(8001),
    VENTURE_DISCOVERY_URL: upstream(8002),
    AGENT_ORCHESTRATOR_URL: upstream(8003),
    DKG_MANAGER_URL: upstream(8004),
    PERFORMANCE_TRACKER_URL: upstream(8005),
    STRUCTURED_REPORTS_ENABLED: flag(true),
  })
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/**
 * The gateway every client talks to. Largest footprint of the six (the seed's figures): it
 * terminates all client traffic for 1000+ concurrent users and fans out to the other services.
 */
export const aiaApi = {
  name: 'aia-api',
  description: 'AIA API gateway: authentication, rate limiting and routing to the core services',
  port: 8000,
  command: commandFor('aia-api'),
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
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({}),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: ['STRUCTURED_REPORTS_ENABLED'],
} as const satisfies ServiceDefinition<typeof env>;
