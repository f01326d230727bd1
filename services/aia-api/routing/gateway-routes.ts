import { Hono, type MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { UnauthenticatedApiPrefix } from '../../platform/app.js';
import type { AppEnv } from '../../platform/types.js';
import { createGatewayMetrics } from './gateway-metrics.js';
import { proxyRoute } from './proxy-route.js';
import { type RouteClassSettings, routeClassLimits } from './route-classes.js';
import {
  GATEWAY_REDIRECTS,
  GATEWAY_ROUTES,
  type GatewayRoute,
  PUBLIC_PAGE_METHODS,
} from './route-table.js';
import { createUpstreams } from './upstreams.js';

export interface GatewayRoutingOptions extends RouteClassSettings {
  /** The gateway's configuration (`<SERVICE>_URL` of each upstream). */
  readonly config: Readonly<Record<string, unknown>>;
  readonly registry: Registry;
  readonly logger?: Logger;
  /** Consecutive failures (no answer or a 5xx) that open an upstream's breaker. */
  readonly breakerFailures: number;
  /** How long an open breaker refuses requests before it lets one through. */
  readonly halfOpenAfterMs: number;
  readonly trustedProxyHops: number;
  /** The routing table. Default {@link GATEWAY_ROUTES}. */
  readonly table?: Readonly<Record<string, GatewayRoute>>;
  /**
   * Runs ahead of the routes whose upstream authenticates (`authentication: 'upstream'`, which
   * the kit's authentication skips): the gateway's own API key check (`apiKeyCredentials`).
   */
  readonly upstreamAuthenticatedFront?: MiddlewareHandler<AppEnv>;
}

/** Moved for good, method kept (RFC 9110, 15.4.9). */
const PERMANENT_REDIRECT = 308;

/** The gateway's proxy routes, split as the kit mounts them. */
export interface GatewayRouting {
  /** Routes under `/v1`, paths relative to it, for the module's `/v1` router. */
  readonly api: Hono<AppEnv>;
  /**
   * Routes outside `/v1` (a table row outside it, the old addresses of {@link GATEWAY_REDIRECTS}),
   * for the module's public routes.
   */
  readonly outsideApi: Hono<AppEnv>;
  /**
   * `/v1` prefixes whose upstream authenticates callers itself (see `Authentication`), and the
   * public pages' GET and HEAD (`GatewayRoute.publicPages`), for the kit's
   * `unauthenticatedApiPrefixes`.
   */
  readonly upstreamAuthenticated: readonly UnauthenticatedApiPrefix[];
}

const API = '/v1';

/**
 * Every route of the table as a proxy route to its upstream, with one set of policies (breaker,
 * retries) per upstream service shared by its prefixes, and the gateway's upstream metrics.
 */
export function gatewayRouting({
  config,
  registry,
  logger,
  breakerFailures,
  halfOpenAfterMs,
  trustedProxyHops,
  table = GATEWAY_ROUTES,
  upstreamAuthenticatedFront,
  ...classSettings
}: GatewayRoutingOptions): GatewayRouting {
  const routes = Object.values(table);
  const names = [...new Set(routes.map((route) => route.upstream))];
  const metrics = createGatewayMetrics(registry, names);
  const upstreams = createUpstreams({
    names,
    config,
    policy: { breakerFailures, halfOpenAfterMs },
    metrics,
    ...(logger ? { logger } : {}),
  });
  const classes = routeClassLimits(classSettings);
  const api = new Hono<AppEnv>();
  const outsideApi = new Hono<AppEnv>();
  for (const route of routes) {
    const upstream = upstreams.get(route.upstream);
    if (!upstream) throw new Error(`no upstream ${route.upstream}`);
    const handler = proxyRoute(route, { upstream, classes, metrics, trustedProxyHops });
    const underApi = route.prefix.startsWith(`${API}/`);
    const [app, path] = underApi
      ? [api, route.prefix.slice(API.length)]
      : [outsideApi, route.prefix];
    const front = route.authentication === 'upstream' ? upstreamAuthenticatedFront : undefined;
    if (front) app.use(path, front).use(`${path}/*`, front);
    app.all(path, handler);
    app.all(`${path}/*`, handler);
  }
  for (const [from, to] of Object.entries(GATEWAY_REDIRECTS))
    outsideApi.get(from, (c) => c.redirect(to, PERMANENT_REDIRECT));
  const underApi = routes.filter((route) => route.prefix.startsWith(`${API}/`));
  return {
    api,
    outsideApi,
    upstreamAuthenticated: [
      ...underApi
        .filter((route) => route.authentication === 'upstream')
        .map((route) => route.prefix),
      ...underApi.flatMap((route) =>
        (route.publicPages ?? []).map((prefix) => ({ prefix, methods: PUBLIC_PAGE_METHODS })),
      ),
      ...underApi.flatMap((route) =>
        (route.anonymousCalls ?? []).map(({ path, methods }) => ({ prefix: path, methods })),
      ),
    ],
  };
}
