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
  secretKey,
} from '../platform/env.js';

const wholeTokens = z
  .string()
  .regex(/^[1-9]\d{0,17}$/, 'expected a whole number of tokens, for example 1000000000');

const env = z
  .object({
    ...httpEnv,
    ...authEnv,
    ...rateLimitEnv,
    ...postgresEnv,
    ...redisEnv,
    AIA_INITIAL_SUPPLY: wholeTokens.default('1000000000'),
    AIA_GOV_INITIAL_SUPPLY: wholeTokens.default('100000000'),
    TREASURY_PRIVATE_KEY: secretKey(),
    GOVERNANCE_ENABLED: flag(true),
  })
  .superRefine(requiredWhenDeployed('REDIS_URL'));

/** AIA / AIA_GOV ledger and treasury. The seed's figures: 500m / 1Gi requested, 2 CPU / 4Gi limit. */
export const economicGovernor = {
  name: 'economic-governor',
  description: 'Economic Governor: AIA and AIA_GOV token ledger, treasury, staking and rewards',
  port: 8001,
  command: commandFor('economic-governor'),
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
  env,
  slo: DEFAULT_SLO,
  alerts: alertsWith({ tokenTransactionFailurePercent: 1 }),
  rollback: DEFAULT_ROLLBACK,
  featureFlags: ['GOVERNANCE_ENABLED'],
} as const satisfies ServiceDefinition<typeof env>;
