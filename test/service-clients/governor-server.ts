import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { serviceDefinition } from '../../services/catalog.js';
import { serviceModules } from '../../services/modules.js';
import { createJwtVerifier } from '../../services/platform/auth.js';
import { createDatabase } from '../../services/platform/db.js';
import { createServiceMetrics } from '../../services/platform/metrics.js';
import { migrateService } from '../../services/platform/migrations.js';
import { testPlatformKeys } from '../harness/jwt.js';
import { kitApp } from '../harness/kit-app.js';
import { moduleRoutes } from '../harness/module-routes.js';

/** A running economic governor: its base URL, and `stop`. */
export interface GovernorServer {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * The economic governor on the kit over HTTP on a free loopback port, with a real database
 * (migrated, genesis done) and the verifier every deployed service has: the issuer's and the
 * services' keys, its own name as the audience of service tokens, the catalog's grants.
 */
export async function startGovernorServer(databaseUrl: string): Promise<GovernorServer> {
  const module = serviceModules['economic-governor'];
  if (!module) throw new Error('economic-governor has no module');
  const sql = createDatabase({ url: databaseUrl, applicationName: 'service-clients', max: 5 });
  await migrateService(sql, 'economic-governor');
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'economic-governor',
  });
  const metrics = createServiceMetrics({
    service: 'economic-governor',
    declared: serviceDefinition('economic-governor').metrics,
  });
  const { routes, parts } = moduleRoutes('economic-governor', module, {
    env: { TREASURY_PRIVATE_KEY: 't'.repeat(32) },
    db: sql,
    verify,
    registry: metrics.registry,
  });
  await parts.start?.();
  const { app } = kitApp({
    routes,
    verify,
    metrics,
    bodyBytes: 4_194_304,
    requestTimeoutMs: 30_000,
    rateLimit: { limit: 1_000_000 },
  });
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started as Server),
    ) as Server;
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await sql.end();
    },
  };
}
