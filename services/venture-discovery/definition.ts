import { z } from 'zod';
import { callerEnv } from '../catalog/caller-env.js';
import { defineService, serviceEnv } from '../catalog/define.js';
import { alwaysCheck, flag, postgresEnv } from '../platform/env.js';
import { llmEnv, withLlmRules } from '../platform/llm/env.js';
import { objectStorageEnv, withObjectStorageRules } from '../platform/object-storage-env.js';
import { localOnlyFlag } from '../platform/outbound/env.js';
import { ASSIST_OUTCOMES, ASSIST_TASKS } from './domain/assistance.js';
import { COMPONENTS, DEFAULT_WEIGHTS, parseWeights, WeightsError } from './domain/weights.js';

/**
 * `DISCOVERY_WEIGHTS`: the score's component weights for this stack, `name=value` pairs, every
 * component once, each from 0.02 to 0.6, summing to 1. Feedback moves them from there.
 */
const weightsSetting = z
  .string()
  .default(COMPONENTS.map((c) => `${c}=${DEFAULT_WEIGHTS[c]}`).join(','))
  .transform((text, ctx) => {
    try {
      return parseWeights(text);
    } catch (error) {
      if (!(error instanceof WeightsError)) throw error;
      ctx.addIssue({ code: 'custom', message: error.message });
      return z.NEVER;
    }
  });

/**
 * Reads the knowledge graph's skills and tools once per run, for the capability fit of what it
 * finds (neutral when the DKG manager does not answer).
 */
const calls = { 'dkg-manager': ['dkg:read'] } as const;

const env = withLlmRules(
  withObjectStorageRules(
    serviceEnv({
      ...postgresEnv,
      ...callerEnv(calls),
      ...llmEnv,
      ...objectStorageEnv,
      VENTURE_DISCOVERY_ENABLED: flag(true),
      STRUCTURED_REPORTS_ENABLED: flag(true),
      DISCOVERY_WEIGHTS: weightsSetting,
      /** Runs read the signals of the last this many days. Default 30. */
      DISCOVERY_WINDOW_DAYS: z.coerce.number().int().min(1).max(365).default(30),
      /** A theme's opportunity goes to aia.ventures.opportunities.v1 the first time it scores at least this (0 to 1). Default 0.6. */
      DISCOVERY_PUBLISH_THRESHOLD: z.coerce.number().min(0).max(1).default(0.6),
      /** The newest this many signals are read by a run. Default 20,000. */
      DISCOVERY_MAX_SIGNALS: z.coerce.number().int().min(100).max(200_000).default(20_000),
      /** A run whose executor shows no progress for this long is taken over. Default 5 minutes. */
      DISCOVERY_RUN_LEASE_SECONDS: z.coerce.number().int().min(10).max(3_600).default(300),
      /**
       * Sources may be on loopback and private addresses (a laptop's test servers). Development
       * and test only: in a cluster those addresses are its own services.
       */
      DISCOVERY_SOURCES_ALLOW_PRIVATE_ADDRESSES: flag(false),
      /**
       * Optional LLM assistance: a run asks the `fast` class for a summary and for extra entities
       * and themes of each of its best opportunities, beside the deterministic ones (scores never
       * change). Default off: the deterministic path is the whole pipeline.
       */
      DISCOVERY_LLM_ASSIST: flag(false),
      /** One assistance call's limit in milliseconds, fallbacks and retries included. Default 20,000. */
      DISCOVERY_LLM_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(120_000).default(20_000),
      /** One assistance call's budget in AIA (a decimal, up to 6 places). Default 0.5. */
      DISCOVERY_LLM_MAX_COST_AIA: z
        .string()
        .regex(/^\d{1,6}(\.\d{1,6})?$/, 'must be an amount of AIA such as 0.5')
        .default('0.5'),
      /**
       * The folder reports are kept in when the service has no object storage (S3_BUCKET unset:
       * a local run; the stacks always have a bucket). Default `.data/venture-reports` under the
       * working directory.
       */
      DISCOVERY_REPORTS_DIRECTORY: z.string().min(1).max(1_000).optional(),
      /**
       * Adds the sample sources of services/venture-discovery/samples (read from local files) at
       * start, so a local stack discovers something without the internet. Unset: on in
       * development (npm start), off elsewhere; never true on staging or production.
       */
      DISCOVERY_SAMPLE_SOURCES: z
        .enum(['true', 'false'], { error: 'must be true or false' })
        .optional()
        .transform((value) => (value === undefined ? undefined : value === 'true')),
    })
      .superRefine(localOnlyFlag('DISCOVERY_SOURCES_ALLOW_PRIVATE_ADDRESSES'), alwaysCheck)
      .superRefine(localOnlyFlag('DISCOVERY_SAMPLE_SOURCES'), alwaysCheck),
  ),
);

/**
 * Finds and scores business opportunities. Mostly waiting on LLM providers (I/O bound), so a
 * small CPU request; memory for the JSON-LD reports it assembles.
 */
export const ventureDiscovery = defineService({
  name: 'venture-discovery',
  description:
    'Venture Discovery Engine: automated discovery and scoring of business opportunities',
  port: 8002,
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
  dataStores: ['postgres', 'redis', 'objectStorage'],
  database: { poolSize: 5 },
  migrations: true,
  // Writes the structured reports it assembles, reads them back, replaces and prunes them.
  objectStorage: { bucket: 'reports', access: 'readWrite' },
  env,
  calls,
  // Summaries and extra entities (DISCOVERY_LLM_ASSIST); no embeddings: clustering is lexical.
  // Off, the deterministic path needs no provider, so the service starts without one.
  llmClasses: ['fast'],
  llmClassesRequiredWith: 'DISCOVERY_LLM_ASSIST',
  featureFlags: ['VENTURE_DISCOVERY_ENABLED', 'STRUCTURED_REPORTS_ENABLED'],
  metrics: [
    {
      name: 'venture_discovery_runs_total',
      help: 'Discovery runs finished, by outcome',
      type: 'counter',
      labels: { outcome: ['succeeded', 'failed'] },
    },
    {
      name: 'venture_signals_ingested_total',
      help: 'New signals kept from sources (fetched or uploaded; repeats of a source are not counted)',
      type: 'counter',
      labels: {},
    },
    {
      name: 'venture_opportunities_scored_total',
      help: 'Opportunities written by discovery runs',
      type: 'counter',
      labels: {},
    },
    {
      name: 'venture_discovery_llm_assist_total',
      help: 'LLM assistance calls (DISCOVERY_LLM_ASSIST), by task and how they ended; all but assisted leave the part deterministic',
      type: 'counter',
      labels: { task: ASSIST_TASKS, outcome: ASSIST_OUTCOMES },
    },
  ],
});
