import { callerEnv } from '../catalog/caller-env.js';
import { defineService, serviceEnv } from '../catalog/define.js';
import { flag, postgresEnv } from '../platform/env.js';

/**
 * Reads balances and transfers for its rankings. Paying rewards out (`/rewards/distributions`)
 * needs `treasury:admin`, which also mints and burns: not granted until the ledger has a narrower
 * scope for distributions.
 */
const calls = { 'economic-governor': ['ledger:read'] } as const;

const env = serviceEnv({
  ...postgresEnv,
  ...callerEnv(calls),
  PERFORMANCE_TRACKING_ENABLED: flag(true),
});

/**
 * Ranks agents and computes reward redistribution in periodic batches: light steady load with
 * short bursts, so a small request and a 1 CPU limit.
 */
export const performanceTracker = defineService({
  name: 'performance-tracker',
  description: 'Performance Tracker: agent ranking and reward redistribution',
  port: 8005,
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
  calls,
  featureFlags: ['PERFORMANCE_TRACKING_ENABLED'],
});
