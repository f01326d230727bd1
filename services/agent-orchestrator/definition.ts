import { z } from 'zod';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from '../catalog/defaults.js';
import type { ServiceDefinition } from '../catalog/types.js';
import {
  authEnv,
  encryptionEnv,
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
    ...encryptionEnv,
    MAX_DELEGATION_DEPTH: z.coerce.number().int().min(1).max(10).default(4),
  })
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/**
 * Runs the agent hierarchy: many concurrent agent runs and LLM calls held in memory, so it gets
 * the governor's CPU envelope and scales out further under load.
 */
export const agentOrchestrator = {
  name: 'agent-orchestrator',
  description: 'Agent Orchestrator: agent hierarchy, task delegation and agent runs',
  port: 8003,
  command: commandFor('agent-orchestrator'),
  resources: {
    staging: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
    production: {
      requests: { cpu: '500m', memory: '1Gi' },
      limits: { cpu: '2000m', memory: '4Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 3, maxReplicas: 12, targetCpuUtilizationPercent: 65 },
  },
  dataStores: ['postgres', 'redis'],
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({ agentFailurePercent: 10 }),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: [],
} as const satisfies ServiceDefinition<typeof env>;
