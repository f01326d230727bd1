import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type ServiceName, serviceDefinition } from '../../services/catalog.js';
import { serviceModules } from '../../services/modules.js';
import { createJwtVerifier } from '../../services/platform/auth.js';
import { createDatabase } from '../../services/platform/db.js';
import { createLogger } from '../../services/platform/logging.js';
import { createServiceMetrics } from '../../services/platform/metrics.js';
import { migrateService } from '../../services/platform/migrations.js';
import { testPlatformKeys } from '../harness/jwt.js';
import { kitApp, LogCapture } from '../harness/kit-app.js';
import { moduleRoutes } from '../harness/module-routes.js';

/** A service running over HTTP in the test's process: its base URL, and `stop`. */
export interface ModuleServer {
  readonly url: string;
  /** Every line it logged (requests and the module's own), as JSON text. */
  logs(): string;
  stop(): Promise<void>;
}

/**
 * Service `name`'s module on the kit over HTTP on a free loopback port, with a real database
 * (migrated) and the verifier every deployed service has: the issuer's and the services' keys,
 * its own name as the audience of service tokens, the catalog's grants. `env` adds to its
 * environment.
 */
export async function startModuleServer(
  name: ServiceName,
  databaseUrl: string,
  env: Record<string, string> = {},
): Promise<ModuleServer> {
  const module = serviceModules[name];
  if (!module) throw new Error(`${name} has no module`);
  const sql = createDatabase({ url: databaseUrl, applicationName: `${name}-server`, max: 5 });
  await migrateService(sql, name);
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: name,
  });
  const metrics = createServiceMetrics({
    service: name,
    declared: serviceDefinition(name).metrics,
  });
  const moduleLogs = new LogCapture();
  const { routes, parts } = moduleRoutes(name, module, {
    env,
    db: sql,
    verify,
    registry: metrics.registry,
    logger: createLogger({ service: name, level: 'debug', destination: moduleLogs }),
  });
  await parts.start?.();
  const { app, logs } = kitApp({
    service: name,
    routes,
    verify,
    // What the runtime gives the module too: its public routes and the /v1 paths it opens.
    ...(parts.publicRoutes ? { publicRoutes: parts.publicRoutes } : {}),
    ...(parts.unauthenticatedApiPrefixes
      ? { unauthenticatedApiPrefixes: parts.unauthenticatedApiPrefixes }
      : {}),
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
    logs: () => `${logs.text}\n${moduleLogs.text}`,
    stop: async () => {
      await new Promise((resolve) => server.close(resolve));
      await parts.stop?.();
      await sql.end();
    },
  };
}
