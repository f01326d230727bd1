import { z } from 'zod';
import { defineService, serviceEnv } from '../catalog/define.js';
import { upstreamEnv } from '../catalog/upstreams.js';
import { alwaysCheck, flag, issuerEnv, postgresEnv } from '../platform/env.js';
import { corsOriginsWhenDeployed, protectionEnv } from './protection/protection-env.js';

const milliseconds = z.coerce
  .number({ error: 'expected a number of milliseconds' })
  .int()
  .positive();

const env = serviceEnv({
  ...issuerEnv,
  ...postgresEnv,
  // Where it routes to: loopback at each catalog port unless set (the stacks set them).
  ...upstreamEnv([
    'economic-governor',
    'venture-discovery',
    'agent-orchestrator',
    'dkg-manager',
    'performance-tracker',
  ]),
  /** How long a routed REST call may wait for its upstream's response head (docs/gateway.md). */
  GATEWAY_TIMEOUT_MS: milliseconds.default(10_000),
  /** How long a routed event stream (SSE) may last. Default an hour, a task's default deadline. */
  GATEWAY_STREAM_TIMEOUT_MS: milliseconds.default(3_600_000),
  /** Consecutive failures (no answer, or a 5xx) that open an upstream's circuit breaker. */
  GATEWAY_BREAKER_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  /** How long an open breaker refuses requests before it lets one through (half-open). */
  GATEWAY_BREAKER_HALF_OPEN_MS: milliseconds.default(10_000),
  STRUCTURED_REPORTS_ENABLED: flag(true),
  ...protectionEnv,
}).superRefine(corsOriginsWhenDeployed, alwaysCheck);

/**
 * The gateway every client talks to. Largest footprint of the six (the seed's figures): it
 * terminates all client traffic for 1000+ concurrent users and fans out to the other services.
 */
export const aiaApi = defineService({
  name: 'aia-api',
  description: 'AIA API gateway: authentication, rate limiting and routing to the core services',
  port: 8000,
  resources: {
    staging: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2000m', memory: '4Gi' } },
    production: {
      requests: { cpu: '1000m', memory: '2Gi' },
      limits: { cpu: '4000m', memory: '8Gi' },
    },
  },
  scaling: {
    staging: { minReplicas: 1, maxReplicas: 3, targetCpuUtilizationPercent: 70 },
    production: { minReplicas: 3, maxReplicas: 20, targetCpuUtilizationPercent: 65 },
  },
  // PostgreSQL: machine clients and API keys (identity/), the audit chain.
  dataStores: ['postgres', 'redis'],
  // Identity and audit lookups, short statements; up to 50 pods (two colours at 20 + surge).
  database: { poolSize: 5 },
  // Its own tables: identities (001), the audit chain (002).
  migrations: true,
  // The one service the load balancer reaches, released blue-green for an instant rollback.
  exposure: 'public',
  rollout: 'blue-green',
  env,
  featureFlags: ['STRUCTURED_REPORTS_ENABLED'],
});
