import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../../platform/types.js';
import { type RequestClass, requestClassOf } from '../routing/route-classes.js';
import { routeFor } from '../routing/route-table.js';
import { HeadersTooLargeError, UriTooLongError } from './problems.js';

/** How large the start of a request of one class may be. Bodies: `RouteClassLimits.bodyBytes`. */
export interface RequestHeadLimits {
  /** Bytes of the request target (path and query). */
  readonly urlBytes: number;
  /** Bytes of all header lines together (`name: value\r\n`). */
  readonly headerBytes: number;
}

const KIB = 1024;

/**
 * The limits per class. Headers: 8 KiB, several times a bearer token and the trace and request
 * ids; Node itself refuses more than 16 KiB (its `maxHeaderSize`, the request line included)
 * with a 431 before the app runs. URLs: 8 KiB for REST calls and streams (RFC 9110 asks for at
 * least 8000 octets), 2 KiB for A2A, whose calls are JSON-RPC bodies on short paths.
 */
export const REQUEST_HEAD_LIMITS: Readonly<Record<RequestClass, RequestHeadLimits>> = {
  api: { urlBytes: 8 * KIB, headerBytes: 8 * KIB },
  a2a: { urlBytes: 2 * KIB, headerBytes: 8 * KIB },
  stream: { urlBytes: 8 * KIB, headerBytes: 8 * KIB },
};

/** The class of a gateway request: its route's (routing/route-classes.ts); the gateway's own are `api`. */
export function requestClassOfPath(path: string, accept: string | undefined): RequestClass {
  const route = routeFor(path);
  return route ? requestClassOf(route, accept) : 'api';
}

/**
 * Refuses a request whose target is longer than its class allows (414) or whose headers are
 * larger (431), with a problem naming the limit and the class, before anything reads a token.
 */
export const limitRequestHead = (
  limits: Readonly<Record<RequestClass, RequestHeadLimits>> = REQUEST_HEAD_LIMITS,
): MiddlewareHandler<AppEnv> =>
  async function limitRequestHead(c, next) {
    const requestClass = requestClassOfPath(c.req.path, c.req.header('accept'));
    const { urlBytes, headerBytes } = limits[requestClass];
    if (Buffer.byteLength(targetOf(c)) > urlBytes)
      throw new UriTooLongError(urlBytes, requestClass);
    if (headerBytesOf(c.req.raw.headers) > headerBytes)
      throw new HeadersTooLargeError(headerBytes, requestClass);
    return next();
  };

/** The request target as sent: path and query. */
function targetOf(c: Context<AppEnv>): string {
  const url = new URL(c.req.url);
  return `${url.pathname}${url.search}`;
}

/** Bytes of the header lines `name: value\r\n`. */
function headerBytesOf(headers: Headers): number {
  let total = 0;
  for (const [name, value] of headers)
    total += Buffer.byteLength(name) + Buffer.byteLength(value) + 4;
  return total;
}
