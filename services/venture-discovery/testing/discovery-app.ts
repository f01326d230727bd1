import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { discoveryMetrics } from '../metrics.js';
import { ventureDiscoveryModule } from '../module.js';
import type { DiscoveryContext } from '../operations/discovery-context.js';

/** The settings tests run discovery with: local sources allowed, everything published. */
export const TEST_ENV = {
  ENVIRONMENT: 'test',
  DISCOVERY_SOURCES_ALLOW_PRIVATE_ADDRESSES: 'true',
  VENTURE_DISCOVERY_ENABLED: 'false',
} as const;

/**
 * The service's app as the runtime builds it (its module's `/v1` routes behind the kit) over a
 * real database, and a discovery context on the same database and metrics for driving runs
 * (`executeNextRun`) without the workers. `call` sends ventures:read and ventures:write.
 */
export function discoveryApp(sql: Database, overrides: Partial<DiscoveryContext> = {}) {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'venture-discovery',
  });
  const metrics = createServiceMetrics({
    service: 'venture-discovery',
    declared: serviceDefinition('venture-discovery').metrics,
  });
  const { routes } = moduleRoutes('venture-discovery', ventureDiscoveryModule, {
    db: sql,
    verify,
    registry: metrics.registry,
    env: { ...TEST_ENV },
  });
  const { app } = kitApp({
    service: 'venture-discovery',
    logLevel: 'silent',
    metrics,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
  });
  const context: DiscoveryContext = {
    sql,
    metrics: discoveryMetrics(metrics.registry),
    settings: {
      weights: {
        signal_strength: 0.25,
        growth: 0.2,
        novelty: 0.15,
        competition_density: 0.15,
        capability_fit: 0.1,
        confidence: 0.15,
      },
      windowDays: 30,
      publishThreshold: 0.5,
      leaseMs: 60_000,
      maxSignals: 20_000,
      outbound: { allowPrivate: true },
    },
    ...overrides,
  };
  return {
    app,
    context,
    registry: metrics.registry,
    ...bearerCaller(app, { as: 'ada', scope: 'ventures:read ventures:write' }),
  };
}
