import { bearerCaller } from '../../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../../test/harness/jwt.js';
import { kitApp } from '../../../../test/harness/kit-app.js';
import { serviceDefinition } from '../../../catalog.js';
import { createJwtVerifier } from '../../../platform/auth.js';
import { createServiceMetrics } from '../../../platform/metrics.js';
import { createOpenApiApp } from '../../../platform/openapi.js';
import type { ImprovementContext } from '../operations/improvement-context.js';
import { addVariantRoutes } from '../routes/variant-routes.js';

/**
 * The variant routes behind the kit (tokens, errors as problems) over `context`, as the tracker
 * serves them under `/v1`; `call` sends a token with `performance:read performance:admin` unless
 * told otherwise.
 */
export function improvementApp(context: ImprovementContext) {
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'performance-tracker',
  });
  const routes = createOpenApiApp();
  addVariantRoutes(routes, context);
  const { app } = kitApp({
    service: 'performance-tracker',
    logLevel: 'silent',
    metrics: createServiceMetrics({
      service: 'performance-tracker',
      declared: serviceDefinition('performance-tracker').metrics,
    }),
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
  });
  return { app, ...bearerCaller(app, { as: 'ada', scope: 'performance:read performance:admin' }) };
}
