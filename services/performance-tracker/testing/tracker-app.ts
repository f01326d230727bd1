import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { performanceTrackerModule } from '../module.js';

/**
 * The tracker's app as the runtime builds it (its module's `/v1` routes behind the kit), over a
 * real database; `call` sends a token with `performance:read` unless told otherwise.
 */
export function trackerApp(sql: Database) {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'performance-tracker',
  });
  const metrics = createServiceMetrics({
    service: 'performance-tracker',
    declared: serviceDefinition('performance-tracker').metrics,
  });
  const { routes } = moduleRoutes('performance-tracker', performanceTrackerModule, {
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const { app } = kitApp({
    service: 'performance-tracker',
    logLevel: 'silent',
    metrics,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
  });
  return { app, ...bearerCaller(app, { as: 'ada', scope: 'performance:read' }) };
}
