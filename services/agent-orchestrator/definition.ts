import { z } from 'zod';
import { callerEnv } from '../catalog/caller-env.js';
import { defineService, serviceEnv } from '../catalog/define.js';
import { alwaysCheck, encryptionEnv, flag, postgresEnv } from '../platform/env.js';
import { llmEnv, withLlmRules } from '../platform/llm/env.js';
import { localOnlyFlag } from '../platform/outbound/env.js';

/**
 * Opens the agents' ledger accounts and moves their tokens. Accounts it opens are its own (owner
 * `service:agent-orchestrator`), so it needs no treasury scope. Reads the knowledge graph: the
 * `knowledge-graph` tool, and agents ranked by skill for delegation. Starts venture discovery
 * runs and reads their opportunities: the `venture-discovery` tool.
 */
const calls = {
  'economic-governor': ['ledger:read', 'ledger:write'],
  'dkg-manager': ['dkg:read'],
  'venture-discovery': ['ventures:read', 'ventures:write'],
} as const;

const env = withLlmRules(
  serviceEnv({
    ...postgresEnv,
    ...callerEnv(calls),
    ...llmEnv,
    ...encryptionEnv,
    MAX_DELEGATION_DEPTH: z.coerce.number().int().min(1).max(10).default(4),
    /**
     * How long a task may take from submission to its end, its delegated children included
     * (they share their root's deadline); past it the task fails and its budget reservations
     * are voided. Default one hour; at most 30 days (the ledger's longest pending timeout).
     */
    TASK_DEADLINE_SECONDS: z.coerce.number().int().min(10).max(2_592_000).default(3_600),
    /**
     * The public origin agents' A2A interfaces are reached at (the gateway's, e.g.
     * `https://api.aia.example`), written into their cards. Unset: the origin of the request that
     * fetched the card, which behind a proxy that ends TLS says `http://`.
     */
    A2A_PUBLIC_URL: z
      .url({
        protocol: /^https?$/,
        error: 'expected an http(s) URL, for example https://api.aia.example',
      })
      .transform((url) => url.replace(/\/+$/, ''))
      .optional(),
    /**
     * Deliver push notifications to loopback and private addresses too (a webhook on this
     * machine): development and test only, refused on staging and production.
     */
    PUSH_ALLOW_PRIVATE_ADDRESSES: flag(false),
  }).superRefine(localOnlyFlag('PUSH_ALLOW_PRIVATE_ADDRESSES'), alwaysCheck),
);

/**
 * Runs the agent hierarchy: many concurrent agent runs and LLM calls held in memory, so it gets
 * the governor's CPU envelope and scales out further under load.
 */
export const agentOrchestrator = defineService({
  name: 'agent-orchestrator',
  description: 'Agent Orchestrator: agent hierarchy, task delegation and agent runs',
  port: 8003,
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
  // The kit's pool, and pg-boss's for the run queue; 15 pods at max scale (12 + surge).
  database: { poolSize: 5, jobQueuePoolSize: 4 },
  migrations: true,
  env,
  llmClasses: ['fast', 'strong'],
  calls,
  extraAlerts: { agentFailurePercent: 10 },
  featureFlags: [],
  metrics: [
    {
      name: 'agent_runs_total',
      help: 'Agent runs by outcome',
      type: 'counter',
      labels: { outcome: ['succeeded', 'failed'] },
    },
  ],
});
