import type { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testPlatformKeys, testServiceKeys } from '../../../test/harness/jwt.js';
import { moduleRoutes } from '../../../test/harness/module-routes.js';
import { type ServiceName, serviceDefinition, serviceNames } from '../../catalog.js';
import { serviceModules } from '../../modules.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createDatabase } from '../../platform/db.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { emptyModule } from '../../platform/module.js';
import type { AppEnv } from '../../platform/types.js';
import {
  GATEWAY_REDIRECTS,
  GATEWAY_ROUTES,
  gatewayPathOf,
  isUnder,
  routeFor,
  upstreamPathOf,
} from './route-table.js';

const upstreams = serviceNames.filter((name) => name !== 'aia-api');
const table = Object.values(GATEWAY_ROUTES);

interface ServedRoute {
  readonly method: string;
  readonly path: string;
  /** Where a public route redirects to, resolved against its path; undefined when it does not. */
  readonly redirectsTo?: string;
}

/** Where the public route at `path` redirects to, if it does. */
async function redirectOf(publicRoutes: Hono<AppEnv>, path: string) {
  const res = await publicRoutes.request(path);
  const location = res.headers.get('Location');
  return res.status >= 300 && res.status < 400 && location
    ? new URL(location, `http://service${path}`).pathname
    : undefined;
}

/** Every route a service serves: its OpenAPI document's (under `/v1`) and its public routes. */
async function servedRoutes(name: ServiceName): Promise<ServedRoute[]> {
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
  const publicRoutes = parts.publicRoutes;
  const outside: ServedRoute[] = [];
  for (const route of publicRoutes?.routes ?? []) {
    if (route.method === 'ALL' || !publicRoutes) continue;
    const path = route.path.replaceAll(/:[^/]+/g, 'x');
    // Asked only for the gateway's old addresses: other public routes may need a database.
    const redirectsTo =
      route.method === 'GET' && path in GATEWAY_REDIRECTS
        ? await redirectOf(publicRoutes, path)
        : undefined;
    outside.push({ method: route.method, path, ...(redirectsTo ? { redirectsTo } : {}) });
  }
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

  it('has public pages only under their own route, on routes the gateway authenticates', () => {
    for (const route of table)
      for (const page of 'publicPages' in route ? route.publicPages : []) {
        expect(isUnder(page, route.prefix), page).toBe(true);
        expect(page, page).not.toBe(route.prefix);
        expect(route.authentication, page).toBe('gateway');
      }
  });

  it('redirects old addresses that no route serves, to a path a route serves', () => {
    for (const [from, to] of Object.entries(GATEWAY_REDIRECTS)) {
      expect(routeFor(from), from).toBeUndefined();
      const target = new URL(to, `http://gateway${from}`).pathname;
      expect(routeFor(target), `${from} → ${target}`).toBeDefined();
    }
  });

  it.each(upstreams)(
    'reaches every documented and public route of %s through exactly one prefix',
    async (name) => {
      const served = await servedRoutes(name);
      if (serviceModules[name]) expect(served.length).toBeGreaterThan(0);
      const unreachable: string[] = [];
      for (const { method, path, redirectsTo } of served) {
        // An old address the service redirects from: the gateway redirects it itself, to where
        // the service's redirect leads as seen through the gateway.
        const gatewayRedirect = GATEWAY_REDIRECTS[path];
        if (gatewayRedirect !== undefined && redirectsTo !== undefined) {
          const through = new URL(gatewayRedirect, `http://gateway${path}`).pathname;
          expect(through, path).toBe(gatewayPathOf(name, redirectsTo));
          continue;
        }
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
      }
      expect(unreachable).toEqual([]);
    },
  );
});
