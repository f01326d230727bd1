import { z } from 'zod';
import { defineService, serviceEnv } from '../catalog/define.js';
import { flag, postgresEnv, secretKey } from '../platform/env.js';

const wholeTokens = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, 'expected a whole number of tokens, for example 1000000000');

const env = serviceEnv({
  ...postgresEnv,
  /** A batch of 8,000 transfers is about 1.7 MB of JSON. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(4_194_304),
  /** Minted once into each treasury at genesis; later changes need an explicit mint or burn. */
  AIA_INITIAL_SUPPLY: wholeTokens.default('1000000000'),
  AIA_GOV_INITIAL_SUPPLY: wholeTokens.default('100000000'),
  /** How long staked AIA stays locked before it can be unstaked. Default 7 days. */
  STAKING_LOCK_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(604_800),
  /** How often timed-out pending transfers are expired. */
  PENDING_EXPIRY_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(1_000),
  /** How long a response stays replayable for its Idempotency-Key. */
  IDEMPOTENCY_KEY_TTL_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  TREASURY_PRIVATE_KEY: secretKey(),
  /** Serves /v1/governance and runs its tally; off, every governance path is a 404. */
  GOVERNANCE_ENABLED: flag(true),
  /** Whole AIA_GOV a proposer's account must have staked to open a proposal. */
  GOVERNANCE_PROPOSAL_THRESHOLD: z
    .string()
    .regex(/^\d{1,19}$/, 'expected a whole number of AIA_GOV, for example 1000')
    .default('1000'),
  /** How long a passed treasury transfer waits after the vote closes before it executes. Default 2 days. */
  GOVERNANCE_TIMELOCK_SECONDS: z.coerce.number().int().min(0).max(31_536_000).default(172_800),
  /** How often closed proposals are tallied and due ones executed. */
  GOVERNANCE_TALLY_INTERVAL_MS: z.coerce.number().int().min(50).max(3_600_000).default(5_000),
});

/** The parsed configuration of the economic governor. */
export type EconomicGovernorConfig = z.output<typeof env>;

/** AIA / AIA_GOV ledger and treasury. The seed's figures: 500m / 1Gi requested, 2 CPU / 4Gi limit. */
export const economicGovernor = defineService({
  name: 'economic-governor',
  description: 'Economic Governor: AIA and AIA_GOV token ledger, treasury, staking and rewards',
  port: 8001,
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
    staging: { minReplicas: 1, maxReplicas: 2, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 3, maxReplicas: 10, targetCpuUtilizationPercent: 65 },
  },
  dataStores: ['postgres', 'redis'],
  // Group commit batches transfers; history listings read the replica (docs/connections.md).
  database: { poolSize: 10, readPoolSize: 5 },
  migrations: true,
  env,
  extraAlerts: { tokenTransactionFailurePercent: 1 },
  featureFlags: ['GOVERNANCE_ENABLED'],
  metrics: [
    {
      name: 'token_transactions_total',
      help: 'Token transactions by ledger and result: committed, rejected (refused by a rule) or failed (an error)',
      type: 'counter',
      labels: { ledger: ['AIA', 'AIA_GOV'], result: ['committed', 'rejected', 'failed'] },
    },
  ],
});
