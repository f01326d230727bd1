import { z } from 'zod';
import { alertsWith, commandFor, DEFAULT_ROLLBACK, DEFAULT_SLO } from '../catalog/defaults.js';
import type { ServiceDefinition } from '../catalog/types.js';
import {
  authEnv,
  flag,
  httpEnv,
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
    ECONOMIC_GOVERNOR_URL: z
      .url({ error: 'expected an http(s) URL' })
      .default('http://127.0.0.1:8001'),
    PERFORMANCE_TRACKING_ENABLED: flag(true),
  })
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/**
 * Ranks agents and computes reward redistribution in periodic batches: light steady load with
 * short bursts, so a small request and a 1 CPU limit.
 */
export const performanceTracker = {
  name: 'performance-tracker',
  description: 'Performance Tracker: agent ranking and reward redistribution',
  port: 8005,
  command: commandFor('performance-tracker'),
  resources: {
    staging: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '1Gi' } },
    production: {
      requests: { cpu: '250m', memory: '512Mi' },
      limits: { cpu: '1000m', memory: '2Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 75 },
    production: { minReplicas: 2, maxReplicas: 4, targetCpuUtilizationPercent: 70 },
  },
  dataStores: ['postgres', 'redis'],
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({}),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: ['PERFORMANCE_TRACKING_ENABLED'],
} as const satisfies ServiceDefinition<typeof env>;
