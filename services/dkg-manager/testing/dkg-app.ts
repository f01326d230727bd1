import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { dkgManagerModule } from '../module.js';

/**
 * The DKG manager's app on the kit (authentication, limits, error handler) over a real database
 * with the PostgreSQL graph (`env` adds to its environment), and its public routes (the graph page, GET without a token), for `app.request()` tests
 * and for serving to a browser; `call` sends JSON under `/v1` with a token of the given scopes.
 */
export function dkgApp(sql: Database, { env }: { env?: Record<string, string> } = {}) {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'dkg-manager',
  });
  const metrics = createServiceMetrics({
    service: 'dkg-manager',
    declared: serviceDefinition('dkg-manager').metrics,
  });
  const { routes, parts } = moduleRoutes('dkg-manager', dkgManagerModule, {
    ...(env ? { env } : {}),
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const { app } = kitApp({
    service: 'dkg-manager',
    logLevel: 'silent',
    metrics,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
    ...(parts.publicRoutes ? { publicRoutes: parts.publicRoutes } : {}),
    ...(parts.unauthenticatedApiPrefixes
      ? { unauthenticatedApiPrefixes: parts.unauthenticatedApiPrefixes }
      : {}),
  });
  const { call } = bearerCaller(app, { as: 'ada', scope: 'dkg:read dkg:write' });
  return { app, call };
}
