import { describe, expect, it } from 'vitest';
import { testPlatformKeys, testServiceKeys } from '../../../test/harness/jwt.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { type ServiceName, serviceDefinition, serviceNames } from '../../catalog.js';
import { serviceModules } from '../../modules.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createDatabase } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { emptyModule } from '../../platform/module.js';
import { GATEWAY_ROUTES, isUnder, routeFor, upstreamPathOf } from './route-table.js';

const upstreams = serviceNames.filter((name) => name !== 'aia-api');
const table = Object.values(GATEWAY_ROUTES);

/** Every route a service serves: its OpenAPI document's (under `/v1`) and its public routes. */
async function servedRoutes(name: ServiceName): Promise<{ method: string; path: string }[]> {
  const module = serviceModules[name] ?? emptyModule(serviceDefinition(name));
  // Built as the runtime builds it; nothing here queries the database (connected lazily).
  const db = createDatabase({ url: 'postgres://127.0.0.1:9/none', applicationName: 'table-test' });
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: name,
  });
  const { routes, parts } = moduleRoutes(name, module, {
    db,
    verify,
    registry: createServiceMetrics({
      service: name,
      declared: serviceDefinition(name).metrics,
    }).registry,
    env: {
      ...(name in testServiceKeys ? { SERVICE_SIGNING_KEY: testServiceKeys[name] as string } : {}),
      ENCRYPTION_KEY: 'e'.repeat(32),
      TREASURY_PRIVATE_KEY: 't'.repeat(32),
    },
  });
  const document = (await (await routes.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => ({
      method: method.toUpperCase(),
      // `/accounts/{id}` → `/v1/accounts/x`: a concrete path, as a caller sends it.
      path: `/v1${path.replaceAll(/\{[^}]+\}/g, 'x')}`,
    })),
  );
  const outside = (parts.publicRoutes?.routes ?? [])
    .filter((route) => route.method !== 'ALL')
    .map((route) => ({ method: route.method, path: route.path.replaceAll(/:[^/]+/g, 'x') }));
  await db.end();
  return [...documented, ...outside];
}

describe("the gateway's routing table", () => {
  it('routes to every service but itself, and to nothing else', () => {
    expect(new Set(table.map((route) => route.upstream))).toEqual(new Set(upstreams));
  });

  it('has prefixes that never nest, so a path has at most one route', () => {
    for (const route of table)
      for (const other of table)
        if (other !== route) expect(isUnder(other.prefix, route.prefix), other.prefix).toBe(false);
  });

  it("leaves the gateway's own routes and the kit's endpoints to the gateway", () => {
    for (const path of [
      '/v1/whoami',
      '/v1/auth/introspect',
      '/v1/openapi.json',
      '/healthz',
      '/metrics',
    ])
      expect(routeFor(path), path).toBeUndefined();
  });

  it.each(upstreams)(
    'reaches every documented and public route of %s through exactly one prefix',
    async (name) => {
      const served = await servedRoutes(name);
      if (serviceModules[name]) expect(served.length).toBeGreaterThan(0);
      const unreachable: string[] = [];
      for (const { method, path } of served) {
        // The gateway paths whose upstream path is this route's, on this service.
        const through = table.filter(
          (route) => route.upstream === name && isUnder(path, route.upstreamPrefix),
        );
        if (through.length !== 1) {
          unreachable.push(`${method} ${path}: ${through.length} prefixes`);
          continue;
        }
        const [route] = through;
        if (!route) continue;
        const gatewayPath = `${route.prefix}${path.slice(route.upstreamPrefix.length)}`;
        expect(routeFor(gatewayPath), gatewayPath).toBe(route);
        expect(upstreamPathOf(route, gatewayPath)).toBe(path);
        if ('methods' in route && !(route.methods as readonly string[]).includes(method))
          unreachable.push(`${method} ${path}: method not routed`);
      }
      expect(unreachable).toEqual([]);
    },
  );
});
