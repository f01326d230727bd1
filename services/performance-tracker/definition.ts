import { z } from 'zod';
import { callerEnv } from '../catalog/caller-env.js';
import { defineService, serviceEnv } from '../catalog/define.js';
import { flag, postgresEnv } from '../platform/env.js';
import { epochEnv } from './epochs/settings.js';

/**
 * Reads the reward pool's balance and pays each epoch's rewards (`/rewards/distributions`) with
 * `rewards:distribute`, which pays from the reward pool and can neither mint nor burn. Reads the
 * agents' ledger accounts from the agent orchestrator (`agents:read`) and sends benchmark tasks
 * to agents over A2A (`agents:write`, which every A2A call needs).
 */
const calls = {
  'economic-governor': ['ledger:read', 'rewards:distribute'],
  'agent-orchestrator': ['agents:read', 'agents:write'],
  // Measured improvement: variants' lineage (variant DERIVED_FROM parent) in the knowledge graph.
  'dkg-manager': ['dkg:read', 'dkg:write'],
} as const;

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
  ...epochEnv,
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
  // Leaderboards and rank history read the replica (docs/connections.md).
  database: { poolSize: 5, readPoolSize: 5 },
  migrations: true,
  env,
  calls,
  // More than 1 in 5 evaluations that cannot be done, once 5 were done in 6 h: docs/alerting.md.
  extraAlerts: { improvementFailurePercent: 20, improvementMinEvaluations: 5 },
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
      help: 'Candidate agent variants evaluated against their parent: promoted (better with confidence), rejected (not better) or failed (the evaluation could not be done)',
      type: 'counter',
      labels: { outcome: ['promoted', 'rejected', 'failed'] },
    },
    {
      name: 'performance_epoch_payouts_total',
      help: 'Epoch payouts by outcome: paid, skipped_empty (nothing to pay), refused by the ledger, retried (a transient failure)',
      type: 'counter',
      labels: { outcome: ['paid', 'skipped_empty', 'refused', 'retried'] },
    },
  ],
});
