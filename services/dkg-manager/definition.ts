import { z } from 'zod';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from '../catalog/defaults.js';
import type { ServiceDefinition } from '../catalog/types.js';
import {
  authEnv,
  flag,
  httpEnv,
  neo4jEnv,
  neo4jWhenSelected,
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
    ...neo4jEnv,
    DKG_ENHANCED_ENABLED: flag(true),
  })
  .superRefine(neo4jWhenSelected)
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/** Knowledge graph of skills, tools and strategies. The seed's figures: 500m / 1Gi, 1 CPU / 2Gi. */
export const dkgManager = {
  name: 'dkg-manager',
  description: 'DKG Manager: skill, tool and strategy registries in a knowledge graph',
  port: 8004,
  command: commandFor('dkg-manager'),
  resources: {
    staging: { requests: { cpu: '250m', memory: '512Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    production: {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 2, maxReplicas: 6, targetCpuUtilizationPercent: 65 },
  },
  dataStores: ['postgres', 'redis', 'neo4j'],
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({}),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: ['DKG_ENHANCED_ENABLED'],
} as const satisfies ServiceDefinition<typeof env>;
