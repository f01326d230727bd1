import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { AppEnv } from '../../platform/types.js';
import { ANY_ORIGIN } from './protection-env.js';

export interface GatewayCorsOptions {
  /** `CORS_ALLOWED_ORIGINS`: exact origins, or `*` (development only). Empty: none. */
  readonly allowedOrigins: readonly string[];
  /** How long a browser may keep a preflight's answer. Default 600 s. */
  readonly maxAgeSeconds?: number;
}

/** What a browser script may send: the bearer token, JSON, the keys the API reads. */
const ALLOWED_HEADERS = [
  'Authorization',
  'Content-Type',
  'Idempotency-Key',
  'X-Request-Id',
  'traceparent',
  'tracestate',
];
/** What a browser script may read of an answer beyond the CORS-safelisted headers. */
const EXPOSED_HEADERS = [
  'X-Request-Id',
  'Retry-After',
  'RateLimit-Policy',
  'RateLimit-Limit',
  'RateLimit-Remaining',
  'RateLimit-Reset',
  'Location',
];
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/**
 * CORS for the gateway's API, from configuration: an origin is allowed only when listed exactly
 * (`*` allows any, development only), and only allowed origins get `Access-Control-Allow-*`
 * headers. Credentials (`Access-Control-Allow-Credentials`) are allowed to listed origins only,
 * never under `*`. A preflight (`OPTIONS` with `Access-Control-Request-Method`) is answered here,
 * before authentication, with 204; any other `OPTIONS` goes on to the API like any request.
 */
export const gatewayCors = ({
  allowedOrigins,
  maxAgeSeconds = 600,
}: GatewayCorsOptions): MiddlewareHandler<AppEnv> => {
  const anyOrigin = allowedOrigins.includes(ANY_ORIGIN);
  const listed = new Set(allowedOrigins.filter((origin) => origin !== ANY_ORIGIN));
  const options = {
    allowHeaders: ALLOWED_HEADERS,
    allowMethods: METHODS,
    exposeHeaders: EXPOSED_HEADERS,
    maxAge: maxAgeSeconds,
  };
  const explicit = cors({
    ...options,
    origin: (origin) => (listed.has(origin) ? origin : null),
    credentials: true,
  });
  const wildcard = cors({ ...options, origin: ANY_ORIGIN });
  return async function gatewayCors(c, next) {
    const origin = c.req.header('origin');
    const preflight =
      c.req.method === 'OPTIONS' && c.req.header('access-control-request-method') !== undefined;
    // No Origin: not a browser's cross-origin request; an OPTIONS without a preflight's header is
    // an ordinary request (hono/cors would answer every OPTIONS with 204).
    if (origin === undefined || (c.req.method === 'OPTIONS' && !preflight)) return next();
    if (listed.has(origin)) return explicit(c, next);
    if (anyOrigin) return wildcard(c, next);
    // Not allowed: a preflight is answered without any Allow header, so the browser refuses.
    if (preflight) return c.body(null, NO_CONTENT, { Vary: 'Origin' });
    c.header('Vary', 'Origin', { append: true });
    return next();
  };
};

const NO_CONTENT = 204;
