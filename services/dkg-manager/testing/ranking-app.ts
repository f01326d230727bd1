import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { serviceDefinition } from '../../catalog.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { dkgManagerModule } from '../module.js';
import type { RankingContext } from '../operations/ranked-queries.js';
import { addRankingRoutes } from '../routes/ranking-routes.js';

/**
 * The DKG manager's app (as `dkgApp`) with DKG_ENHANCED_ENABLED as given and the ranking routes
 * (added here when the module does not serve them yet), over a real database with the
 * PostgreSQL graph; `context` is what the evidence and mirror operations take.
 */
export function rankingApp(sql: Database, { enhanced = true }: { enhanced?: boolean } = {}) {
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
  const { routes } = moduleRoutes('dkg-manager', dkgManagerModule, {
    env: { DKG_ENHANCED_ENABLED: String(enhanced) },
    db: sql,
    verify,
    registry: metrics.registry,
  });
  const context: RankingContext = {
    graph: postgresGraphStore(sql),
    sql,
    enhancedRanking: enhanced,
  };
  if (!routes.routes.some((route) => route.path === '/rankings/agents'))
    addRankingRoutes(routes, context);
  const { app } = kitApp({
    service: 'dkg-manager',
    logLevel: 'silent',
    metrics,
    bodyBytes: 1_048_576,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
    verify,
    routes,
  });
  const { call } = bearerCaller(app, { as: 'ada', scope: 'dkg:read dkg:write' });
  return { app, call, context };
}
