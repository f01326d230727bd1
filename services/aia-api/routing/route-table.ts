import type { ServiceName } from '../../catalog.js';

/** How long the gateway waits, how much body it takes, and whether it may retry (route-classes.ts). */
export type RouteClass = 'api' | 'a2a';

/**
 * Who checks the caller's bearer token: `gateway` (the kit's authentication in front, then the
 * upstream again), or `upstream` only — routes public by design (agent cards) or whose upstream
 * accepts tokens the gateway's verifier refuses (A2A: the orchestrator calls its own agents
 * through their card URLs with service tokens addressed to itself).
 */
export type Authentication = 'gateway' | 'upstream';

/** One prefix of the gateway and where it goes. */
export interface GatewayRoute {
  /** The gateway's path prefix, whole segments (`/v1/ledger` serves `/v1/ledger` and below). */
  readonly prefix: string;
  readonly upstream: Exclude<ServiceName, 'aia-api'>;
  /** What replaces `prefix` in the upstream's path (`/v1/ledger/accounts` → `/v1/accounts`). */
  readonly upstreamPrefix: string;
  readonly routeClass: RouteClass;
  readonly authentication: Authentication;
  /**
   * The upstream replays the first answer to a repeated `Idempotency-Key` on this prefix's POSTs
   * (the kit's idempotency helper), so a POST carrying one may be retried like a PUT.
   */
  readonly replaysIdempotencyKey: boolean;
  /**
   * Gateway paths under `prefix` (whole segments) whose GET and HEAD are left to the upstream's
   * token check on a `gateway` route: pages the upstream serves without a token under its API
   * (the DKG's graph page). Every other method, and every other path, is checked here.
   */
  readonly publicPages?: readonly string[];
  /**
   * Gateway paths under `prefix` whose given methods the upstream takes without a token, and the
   * gateway too: calls whose body is their own credential and that a token would spoil (a private
   * vote's proof: a token would name the voter). Still rate-limited by client address.
   */
  readonly anonymousCalls?: readonly {
    readonly path: string;
    readonly methods: readonly string[];
  }[];
}

/** The methods of a public page (`GatewayRoute.publicPages`): reading it, nothing else. */
export const PUBLIC_PAGE_METHODS = ['GET', 'HEAD'] as const;

/**
 * The gateway's routing table: every service's API under one host, by path prefix, keyed by a
 * stable name. One prefix per upstream API; the table test proves that every route of every
 * service's OpenAPI document (and the public routes it serves) is reached through exactly one of
 * them. docs/gateway.md renders this table for people.
 */
export const GATEWAY_ROUTES = {
  ledger: {
    prefix: '/v1/ledger',
    upstream: 'economic-governor',
    upstreamPrefix: '/v1',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: true,
    anonymousCalls: [{ path: '/v1/ledger/governance/private-votes', methods: ['POST'] }],
  },
  agents: {
    prefix: '/v1/agents',
    upstream: 'agent-orchestrator',
    upstreamPrefix: '/v1/agents',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: true,
  },
  tasks: {
    prefix: '/v1/tasks',
    upstream: 'agent-orchestrator',
    upstreamPrefix: '/v1/tasks',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: false,
  },
  a2a: {
    prefix: '/v1/a2a',
    upstream: 'agent-orchestrator',
    upstreamPrefix: '/a2a',
    routeClass: 'a2a',
    authentication: 'upstream',
    // JSON-RPC calls carry their own ids, not an Idempotency-Key the orchestrator replays.
    replaysIdempotencyKey: false,
  },
  graph: {
    prefix: '/v1/graph',
    upstream: 'dkg-manager',
    upstreamPrefix: '/v1',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: true,
    // The graph page (the DKG's /v1/explore/): it holds no data, its calls carry the token.
    publicPages: ['/v1/graph/explore'],
  },
  performance: {
    prefix: '/v1/performance',
    upstream: 'performance-tracker',
    upstreamPrefix: '/v1',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: false,
  },
  ventures: {
    prefix: '/v1/ventures',
    upstream: 'venture-discovery',
    upstreamPrefix: '/v1',
    routeClass: 'api',
    authentication: 'gateway',
    replaysIdempotencyKey: false,
  },
} as const satisfies Record<string, GatewayRoute>;

export type GatewayRouteName = keyof typeof GATEWAY_ROUTES;

/**
 * Old gateway addresses the gateway answers itself with a permanent redirect to their new place,
 * by a URL relative to the old one (so a path prefix in front keeps working; a link's `#…`
 * survives). `/graph/explore`: the DKG's graph page before it moved under the DKG's API.
 */
export const GATEWAY_REDIRECTS: Readonly<Record<string, string>> = {
  '/graph/explore': '../v1/graph/explore/',
};

/** Whether `path` is `prefix` or below it (whole segments: `/v1/graphs` is not under `/v1/graph`). */
export const isUnder = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(`${prefix}/`);

/** The table's route serving gateway path `path`, if any (prefixes never nest, a test checks). */
export function routeFor(path: string): GatewayRoute | undefined {
  return Object.values(GATEWAY_ROUTES).find((route) => isUnder(path, route.prefix));
}

/** The upstream path of gateway path `path` under `route` (query not included). */
export const upstreamPathOf = (route: GatewayRoute, path: string): string =>
  `${route.upstreamPrefix}${path.slice(route.prefix.length)}`;

/**
 * The gateway path of `upstreamPath` (a full path on service `service`, e.g. `/v1/accounts`):
 * through the one table route whose upstream prefix covers it, or undefined when none does.
 */
export function gatewayPathOf(
  service: ServiceName,
  upstreamPath: string,
  table: Readonly<Record<string, GatewayRoute>> = GATEWAY_ROUTES,
): string | undefined {
  const through = Object.values(table).filter(
    (route) => route.upstream === service && isUnder(upstreamPath, route.upstreamPrefix),
  );
  const [route] = through;
  return through.length === 1 && route
    ? `${route.prefix}${upstreamPath.slice(route.upstreamPrefix.length)}`
    : undefined;
}
