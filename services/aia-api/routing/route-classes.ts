import type { GatewayRoute, RouteClass } from './route-table.js';

/** What the gateway allows one request of a class. */
export interface RouteClassLimits {
  /** How long an attempt may wait for the upstream's response head (status and headers). */
  readonly headTimeoutMs: number;
  /**
   * How long the whole response may take, its body streamed to the end; past it the upstream
   * exchange is cut. Undefined: the body is not timed (the upstream ends it).
   */
  readonly responseTimeoutMs?: number;
  /** Largest request body taken (the kit's `BODY_LIMIT_BYTES` applies in front of `/v1` too). */
  readonly bodyBytes: number;
}

/** Every class a request may fall in: its route's, or `stream` when it asks for an event stream. */
export type RequestClass = RouteClass | 'stream';

const MIB = 1_048_576;

/** The limits of every class: `apiTimeoutMs` is `GATEWAY_TIMEOUT_MS`. */
export interface RouteClassSettings {
  readonly apiTimeoutMs: number;
  readonly streamTimeoutMs: number;
}

/**
 * The classes' limits. `api`: a REST call waits `apiTimeoutMs` for its head (default 10 s) and 30 s
 * for its whole answer. `a2a`: a blocking `SendMessage` answers within the orchestrator's
 * request timeout (30 s by default, its wait 2 s less), so the head may take up to 29 s, within
 * the gateway's own 30 s request timeout. `stream` (an `Accept: text/event-stream` request, such
 * as `SendStreamingMessage`): the head within `apiTimeoutMs`, then the stream for up to
 * `streamTimeoutMs` (default an hour, a task's default deadline).
 */
export function routeClassLimits({
  apiTimeoutMs,
  streamTimeoutMs,
}: RouteClassSettings): Readonly<Record<RequestClass, RouteClassLimits>> {
  return {
    api: { headTimeoutMs: apiTimeoutMs, responseTimeoutMs: 30_000, bodyBytes: MIB },
    a2a: { headTimeoutMs: 29_000, responseTimeoutMs: 30_000, bodyBytes: MIB },
    stream: { headTimeoutMs: apiTimeoutMs, responseTimeoutMs: streamTimeoutMs, bodyBytes: MIB },
  };
}

/** The class of one request: `stream` when it accepts an event stream, else its route's. */
export const requestClassOf = (route: GatewayRoute, accept: string | undefined): RequestClass =>
  accept?.includes('text/event-stream') ? 'stream' : route.routeClass;

/** Idempotent methods (RFC 9110, section 9.2.2): a repeated request has the effect of one. */
const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Whether a failed attempt may be repeated: an idempotent method (RFC 9110), or a POST with an
 * `Idempotency-Key` on a route whose upstream replays keys. Streams never are (their first
 * events may have reached the caller).
 */
export function mayRetry(
  route: GatewayRoute,
  requestClass: RequestClass,
  method: string,
  idempotencyKey: string | undefined,
): boolean {
  if (requestClass === 'stream') return false;
  if (IDEMPOTENT_METHODS.has(method)) return true;
  return method === 'POST' && idempotencyKey !== undefined && route.replaysIdempotencyKey;
}
