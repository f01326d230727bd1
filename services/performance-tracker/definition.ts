import { z } from 'zod';
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
  /** The sliding window of scorecards and rankings: the last this many days. Default 7. */
  SCORECARD_WINDOW_DAYS: z.coerce.number().int().min(1).max(90).default(7),
  /**
   * The decayed window's half-life: a run this old weighs half as much as one just finished.
   * Default 72 hours; at most 90 days.
   */
  SCORECARD_HALF_LIFE_HOURS: z.coerce.number().min(1).max(2_160).default(72),
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
  migrations: true,
  env,
  calls,
  featureFlags: ['PERFORMANCE_TRACKING_ENABLED'],
  metrics: [
    {
      name: 'performance_runs_ingested_total',
      help: 'Agent runs taken into scorecards, by outcome (a run delivered again is not counted)',
      type: 'counter',
      labels: { outcome: ['succeeded', 'failed', 'cancelled'] },
    },
    {
      name: 'agent_improvements_total',
      help: 'Candidate agent variants evaluated against their parent: promoted (better with confidence) or failed',
      type: 'counter',
      labels: { outcome: ['promoted', 'failed'] },
    },
  ],
});
