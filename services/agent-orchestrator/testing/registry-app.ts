import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys, testServiceKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { agentOrchestratorModule } from '../module.js';

export interface RegistryAppOptions {
  /** The economic governor the module opens accounts with (see startGovernorServer). */
  readonly governorUrl: string;
  /** MAX_DELEGATION_DEPTH. Default the service's (4). */
  readonly maxDepth?: number;
  /** A2A_PUBLIC_URL. Default unset (cards take the request's origin). */
  readonly publicUrl?: string;
  /**
   * DATABASE_URL: the database of `sql`, for tests that run agents (pg-boss connects on its own;
   * call `parts.start()` and `parts.stop()`). Default a URL nothing connects to.
   */
  readonly databaseUrl?: string;
  /** More of the service's environment, e.g. `PUSH_ALLOW_PRIVATE_ADDRESSES`. */
  readonly env?: Record<string, string>;
}

/**
 * The agent orchestrator's app on the kit (authentication, limits, error handler, public routes)
 * over a real database and a real governor, for `app.request()` tests; `call` sends JSON under
 * `/v1` with a token of the given scopes.
 */
export function registryApp(
  sql: Database,
  { governorUrl, maxDepth, publicUrl, databaseUrl, env = {} }: RegistryAppOptions,
) {
  // As the runtime verifies: the issuer's and the services' keys, service tokens addressed to it.
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'agent-orchestrator',
  });
  const metrics = createServiceMetrics({
    service: 'agent-orchestrator',
    declared: serviceDefinition('agent-orchestrator').metrics,
  });
  const { routes, parts } = moduleRoutes('agent-orchestrator', agentOrchestratorModule, {
    env: {
      ECONOMIC_GOVERNOR_URL: governorUrl,
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'] as string,
      ENCRYPTION_KEY: 'e'.repeat(32),
      ...(maxDepth === undefined ? {} : { MAX_DELEGATION_DEPTH: String(maxDepth) }),
      ...(publicUrl === undefined ? {} : { A2A_PUBLIC_URL: publicUrl }),
      ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
      ...env,
    },
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const { app } = kitApp({
    service: 'agent-orchestrator',
    logLevel: 'silent',
    metrics,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
    ...(parts.publicRoutes ? { publicRoutes: parts.publicRoutes } : {}),
  });
  const { call, tokenFor } = bearerCaller(app, { as: 'ada', scope: 'agents:read agents:write' });
  return { app, call, parts, registry: metrics.registry, tokenFor };
}
