import { z } from 'zod';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from '../catalog/defaults.js';
import type { ServiceDefinition } from '../catalog/types.js';
import {
  authEnv,
  flag,
  httpEnv,
  llmEnv,
  postgresEnv,
  rateLimitEnv,
  redisEnv,
  requiredWhenDeployed,
} from '../platform/env.js';

const env = z
  .object({
    ...httpEnv,
    ...authEnv,
    ...rateLimitEnv,
    ...postgresEnv,
    ...redisEnv,
    ...llmEnv,
    VENTURE_DISCOVERY_ENABLED: flag(true),
    STRUCTURED_REPORTS_ENABLED: flag(true),
  })
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/**
 * Finds and scores business opportunities. Mostly waiting on LLM providers (I/O bound), so a
 * small CPU request; memory for the JSON-LD reports it assembles.
 */
export const ventureDiscovery = {
  name: 'venture-discovery',
  description:
    'Venture Discovery Engine: automated discovery and scoring of business opportunities',
  port: 8002,
  command: commandFor('venture-discovery'),
  resources: {
    staging: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    production: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 75 },
    production: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 70 },
  },
  dataStores: ['postgres', 'redis'],
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({}),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: ['VENTURE_DISCOVERY_ENABLED', 'STRUCTURED_REPORTS_ENABLED'],
} as const satisfies ServiceDefinition<typeof env>;
