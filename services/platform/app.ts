import { Hono, type MiddlewareHandler } from 'hono';
import { contextStorage } from 'hono/context-storage';
import { HTTPException } from 'hono/http-exception';
import { requestId } from 'hono/request-id';
import { secureHeaders } from 'hono/secure-headers';
import { timeout } from 'hono/timeout';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { authenticate, type JwtVerifier } from './auth.js';
import { limitBody } from './body-limit.js';
import { errorHandler, notFoundHandler } from './error-handler.js';
import { RequestTimeoutError } from './errors.js';
import { healthRoutes, type ReadinessCheck } from './health.js';
import type { LlmInfo } from './llm/types.js';
import { requestLogger } from './logging.js';
import type { ServiceMetrics } from './metrics.js';
import { rateLimit } from './rate-limit.js';
import type { AppEnv } from './types.js';

/** What `/info` reports. */
export interface ServiceInfo {
  readonly name: string;
  readonly version: string;
  readonly revision: string;
  readonly environment: string;
  readonly featureFlags: Readonly<Record<string, boolean>>;
  /** Enabled LLM providers and each class's routes (never a key), for services calling models. */
  readonly llm?: LlmInfo;
}

/**
 * A `/v1` path prefix (whole segments) the kit does not authenticate: for every method, or, as
 * `{ prefix, methods }`, for those methods only (a public page under the API: GET and HEAD).
 */
export type UnauthenticatedApiPrefix =
  | string
  | { readonly prefix: string; readonly methods: readonly string[] };

/** Whether a request to `path` with `method` is left out of authentication by `open`. */
const isUnauthenticated = (
  open: readonly UnauthenticatedApiPrefix[],
  method: string,
  path: string,
): boolean =>
  open.some((entry) => {
    const { prefix, methods } = typeof entry === 'string' ? { prefix: entry } : entry;
    const under = path === prefix || path.startsWith(`${prefix}/`);
    return under && (methods === undefined || methods.includes(method));
  });

export interface ServiceAppOptions {
  readonly info: ServiceInfo;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly readiness: Readonly<Record<string, ReadinessCheck>>;
  /** Readiness checks whose failure degrades the service without making it unready. */
  readonly optionalReadiness?: readonly string[];
  readonly readinessTimeoutMs?: number;
  readonly isDraining?: () => boolean;
  /** Limits for the API routes under `/v1`. */
  readonly limits: {
    readonly bodyBytes: number;
    readonly requestTimeoutMs: number;
    readonly rateLimit: {
      readonly redis: Redis | undefined;
      readonly limit: number;
      readonly windowMs: number;
      readonly failMode: 'open' | 'closed';
      readonly trustedProxyHops?: number;
      readonly keyPrefix?: string;
    };
  };
  /** Request spans (OpenTelemetry), when tracing is on. */
  readonly tracing?: MiddlewareHandler;
  /** Runs first on `/v1/*`, before the timeout and authentication (see `ModuleParts.apiFront`). */
  readonly apiFront?: MiddlewareHandler<AppEnv>;
  /** When set, every `/v1` request needs a valid bearer token (routes then check scopes). */
  readonly verify?: JwtVerifier;
  /** `/v1` path prefixes left out of `verify` (see `ModuleParts.unauthenticatedApiPrefixes`). */
  readonly unauthenticatedApiPrefixes?: readonly UnauthenticatedApiPrefix[];
  /** The service's domain routes, mounted under `/v1` behind the limits above. */
  readonly routes?: Hono<AppEnv>;
  /**
   * Routes without authentication, mounted at `/` after everything else, behind the same timeout,
   * rate limit (keyed by client address) and body limit as `/v1`.
   */
  readonly publicRoutes?: Hono<AppEnv>;
}

/**
 * The Hono app every service is: request ids, JSON request logs, metrics and secure headers on
 * everything; `/healthz`, `/readyz`, `/metrics`, `/info`; on `/v1/*` a timeout, bearer-token
 * authentication, a per-caller rate limit and a body limit; a module's public routes behind the
 * same limits without authentication; one error handler for all of it.
 */
export function createServiceApp(options: ServiceAppOptions): Hono<AppEnv> {
  const { info, logger, metrics, limits } = options;
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.notFound(notFoundHandler);

  app.use(requestId());
  // The request's context, for code far from the handler (service clients pass its request id on).
  app.use(contextStorage());
  if (options.tracing) app.use(options.tracing);
  app.use(requestLogger({ logger }));
  app.use(metrics.middleware);
  app.use(secureHeaders());

  app.route(
    '/',
    healthRoutes({
      checks: options.readiness,
      optional: options.optionalReadiness,
      timeoutMs: options.readinessTimeoutMs,
      isDraining: options.isDraining,
    }),
  );
  app.get('/metrics', metrics.handler);
  app.get('/info', (c) => c.json(info));

  // Order matters: what the module puts in front (a CORS preflight) answers before any token is
  // asked for; the timeout bounds everything after it; the caller is known before the rate
  // limiter keys on them; the body is read only for requests that were admitted.
  if (options.apiFront) app.use('/v1/*', options.apiFront);
  app.use(
    '/v1/*',
    timeout(
      limits.requestTimeoutMs,
      () => new HTTPException(504, { cause: new RequestTimeoutError(limits.requestTimeoutMs) }),
    ),
  );
  if (options.verify) {
    const authenticated = authenticate({ verify: options.verify });
    const open = options.unauthenticatedApiPrefixes ?? [];
    app.use('/v1/*', (c, next) =>
      isUnauthenticated(open, c.req.method, c.req.path) ? next() : authenticated(c, next),
    );
  }
  app.use('/v1/*', rateLimit(limits.rateLimit));
  app.use('/v1/*', limitBody({ maxBytes: limits.bodyBytes }));
  if (options.routes) app.route('/v1', options.routes);
  if (options.publicRoutes) app.route('/', guardedPublicRoutes(options.publicRoutes, limits));
  return app;
}

/**
 * `routes` behind the API's timeout, rate limit and body limit. Mounted last at `/`, these limits
 * also run ahead of the 404 of a path nothing else serves, never ahead of `/healthz` or `/v1`.
 */
function guardedPublicRoutes(
  routes: Hono<AppEnv>,
  limits: ServiceAppOptions['limits'],
): Hono<AppEnv> {
  const guarded = new Hono<AppEnv>();
  // A `/v1` path nothing serves falls through to here after `/v1`'s own limits: not twice.
  const outsideApi =
    (middleware: MiddlewareHandler<AppEnv>): MiddlewareHandler<AppEnv> =>
    (c, next) =>
      c.req.path.startsWith('/v1/') ? next() : middleware(c, next);
  guarded.use(
    outsideApi(
      timeout(
        limits.requestTimeoutMs,
        () => new HTTPException(504, { cause: new RequestTimeoutError(limits.requestTimeoutMs) }),
      ),
    ),
  );
  guarded.use(outsideApi(rateLimit(limits.rateLimit)));
  guarded.use(outsideApi(limitBody({ maxBytes: limits.bodyBytes })));
  guarded.route('/', routes);
  return guarded;
}
