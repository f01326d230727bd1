import { BrokenCircuitError, TaskCancelledError } from 'cockatiel';
import type { Context, Handler } from 'hono';
import { proxy } from 'hono/proxy';
import { limitBody } from '../../platform/body-limit.js';
import type { AppEnv } from '../../platform/types.js';
import { withUpstreamCredentials } from '../identity/upstream-credentials.js';
import { forwardedHeaders } from './forwarded-headers.js';
import type { GatewayMetrics } from './gateway-metrics.js';
import { withGatewayInstance } from './problem-instance.js';
import {
  mayRetry,
  type RequestClass,
  type RouteClassLimits,
  requestClassOf,
} from './route-classes.js';
import { type GatewayRoute, upstreamPathOf } from './route-table.js';
import {
  BadGatewayError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from './upstream-problems.js';
import type { Upstream } from './upstreams.js';

export interface ProxyRouteOptions {
  readonly upstream: Upstream;
  readonly classes: Readonly<Record<RequestClass, RouteClassLimits>>;
  readonly metrics: GatewayMetrics;
  /** `RATE_LIMIT_TRUSTED_PROXY_HOPS`: whether proxies in front said who the caller is. */
  readonly trustedProxyHops: number;
}

/**
 * Forwards a request of `route` to its upstream with Hono's proxy helper: bodies streamed both
 * ways (an SSE stream passes event by event), the request's class limits (body size, time to the
 * response head per attempt, time for the whole response), retries only where
 * {@link mayRetry} allows, and the upstream's circuit breaker. An upstream's 2xx-4xx answer goes
 * back as it is (a 4xx problem document naming the gateway's path as its instance); no answer or a 5xx becomes the gateway's own
 * problem (upstream-problems.ts), which names no address and carries no upstream body.
 */
export const proxyRoute = (route: GatewayRoute, options: ProxyRouteOptions): Handler<AppEnv> =>
  async function proxyRoute(c) {
    const requestClass = requestClassOf(route, c.req.header('accept'));
    const limits = options.classes[requestClass];
    let response: Response | undefined;
    await limitBody({ maxBytes: limits.bodyBytes })(c, async () => {
      response = await forward(c, route, requestClass, limits, options);
    });
    // Through `c.res`, so what the middleware in front set (X-Request-Id, RateLimit-*) is
    // merged over the upstream's headers: a returned Response would leave them out.
    void c.res;
    c.res = response as Response;
    return c.res;
  };

async function forward(
  c: Context<AppEnv>,
  route: GatewayRoute,
  requestClass: RequestClass,
  limits: RouteClassLimits,
  { upstream, metrics, trustedProxyHops }: ProxyRouteOptions,
): Promise<Response> {
  const url = new URL(c.req.url);
  const target = `${upstream.baseUrl}${upstreamPathOf(route, url.pathname)}${url.search}`;
  const idempotent = mayRetry(route, requestClass, c.req.method, c.req.header('idempotency-key'));
  const caller = c.req.raw.signal;
  const started = performance.now();
  const answer = await proxy(target, {
    raw: c.req.raw,
    headers: withUpstreamCredentials(c, forwardedHeaders(c, trustedProxyHops)),
    customFetch: async (request) => {
      try {
        return await upstream.policy.run(
          (attemptSignal) =>
            attempt(idempotent ? request.clone() : request, attemptSignal, caller, {
              upstream: upstream.name,
              metrics,
              started,
              responseTimeoutMs: limits.responseTimeoutMs,
            }),
          { idempotent, timeoutMs: limits.headTimeoutMs, signal: caller },
        );
      } catch (error) {
        if (error instanceof BrokenCircuitError)
          metrics.attempted(upstream.name, 'circuit_open', 0);
        throw noAnswer(error, upstream, limits.headTimeoutMs);
      } finally {
        // What a retryable request kept of its body for the next attempt.
        if (idempotent) void request.body?.cancel().catch(() => {});
      }
    },
  });
  if (answer.status < 400) return answer;
  if (answer.status < 500) return withGatewayInstance(answer, url.pathname);
  void answer.body?.cancel().catch(() => {});
  if (answer.status === 503) throw new UpstreamUnavailableError(upstream.name, retryAfter(answer));
  if (answer.status === 504) throw new UpstreamTimeoutError(upstream.name, limits.headTimeoutMs);
  throw new BadGatewayError(upstream.name, answer.status);
}

interface AttemptContext {
  readonly upstream: string;
  readonly metrics: GatewayMetrics;
  readonly started: number;
  readonly responseTimeoutMs: number | undefined;
}

/**
 * One exchange with the upstream. The attempt's signal (its time limit) bounds only the wait for
 * the response head: cockatiel aborts it when the attempt returns, while the body still streams.
 * The caller going away, or the class's whole-response time running out, ends the exchange.
 */
async function attempt(
  request: Request,
  attemptSignal: AbortSignal,
  caller: AbortSignal,
  { upstream, metrics, started, responseTimeoutMs }: AttemptContext,
): Promise<Response> {
  const exchange = new AbortController();
  const abort = () => exchange.abort();
  attemptSignal.addEventListener('abort', abort, { once: true });
  caller.addEventListener('abort', abort, { once: true });
  const sent = performance.now();
  const seconds = () => (performance.now() - sent) / 1000;
  try {
    // An upstream's redirect is the caller's to follow (relative to the gateway path it asked),
    // never the gateway's: followed here, a relative Location would resolve against the
    // upstream's own path and the answer would come back from another URL than the caller's.
    const response = await fetch(request, { signal: exchange.signal, redirect: 'manual' });
    metrics.attempted(upstream, String(response.status), seconds());
    return timed(response, exchange, responseTimeoutMs, started);
  } catch (error) {
    metrics.attempted(upstream, attemptSignal.aborted ? 'timeout' : 'unreachable', seconds());
    throw error;
  } finally {
    attemptSignal.removeEventListener('abort', abort);
  }
}

/** `response` whose exchange is cut when the whole response outlives `timeoutMs` from `started`. */
function timed(
  response: Response,
  exchange: AbortController,
  timeoutMs: number | undefined,
  started: number,
): Response {
  if (timeoutMs === undefined || !response.body) return response;
  const timer = setTimeout(
    () => exchange.abort(),
    Math.max(0, timeoutMs - (performance.now() - started)),
  );
  timer.unref();
  const done = () => clearTimeout(timer);
  const body = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({ flush: done, cancel: done }),
  );
  return new Response(body, response);
}

/** The gateway's problem for a request the upstream did not answer. */
function noAnswer(error: unknown, upstream: Upstream, timeoutMs: number): unknown {
  if (error instanceof BrokenCircuitError)
    return new UpstreamUnavailableError(upstream.name, upstream.retryAfterSeconds());
  if (error instanceof TaskCancelledError)
    return new UpstreamTimeoutError(upstream.name, timeoutMs);
  if (error instanceof TypeError)
    return new UpstreamUnavailableError(upstream.name, upstream.retryAfterSeconds());
  return error;
}

/** The upstream's `Retry-After` in seconds (1 to 300), else 1. */
function retryAfter(answer: Response): number {
  const seconds = Number(answer.headers.get('retry-after'));
  return Number.isInteger(seconds) && seconds > 0 ? Math.min(seconds, 300) : 1;
}
