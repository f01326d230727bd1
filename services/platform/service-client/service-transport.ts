import { BrokenCircuitError, CircuitState, TaskCancelledError } from 'cockatiel';
import type { Logger } from 'pino';
import { type CallOptions, propagatedHeaders } from './call-headers.js';
import { ServiceUnavailableError } from './errors.js';
import { type UpstreamPolicyOptions, upstreamPolicy } from './upstream-policy.js';

/** The bearer token of a call to `audience` with `scopes` (a service token, or a tool's). */
export type TokenSource = (audience: string, scopes: readonly string[]) => Promise<string>;

export interface ServiceTransportOptions extends UpstreamPolicyOptions {
  /** The called service's name: the audience of its tokens and the name in errors. */
  readonly service: string;
  /** Its base URL, without `/v1` (`upstreamUrl` from the catalog). */
  readonly baseUrl: string;
  readonly tokens: TokenSource;
  /** The scopes the caller's tokens carry here (its catalog `calls` toward this service). */
  readonly scopes: readonly string[];
  /** Default time limit of an attempt. Default 5,000 ms. */
  readonly timeoutMs?: number;
  /** Breaker state changes are logged here (warn when it opens). */
  readonly logger?: Logger;
}

/** What a typed client sends its requests through: one per upstream, shared by its calls. */
export interface ServiceTransport {
  readonly service: string;
  /** The API's root: `<baseUrl>/v1`. */
  readonly apiUrl: string;
  /** A `fetch` for one call with `options`, for openapi-fetch's per-request `fetch`. */
  fetchFor(options?: CallOptions): (request: Request) => Promise<Response>;
  /** The upstream's circuit breaker state (cockatiel's `CircuitState`). */
  breakerState(): CircuitState;
}

const IDEMPOTENT_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'PUT', 'DELETE']);

/**
 * Sends a service's calls to one upstream: its bearer token (the callee as audience), the
 * request id and trace context, a time limit per attempt, retries with backoff only when the call
 * is idempotent (GET, HEAD, OPTIONS, PUT, DELETE, or a call with an `Idempotency-Key`, which a
 * client sets on the POSTs of a service that replays them), and one circuit breaker for the
 * upstream. No answer becomes a {@link ServiceUnavailableError}.
 *
 * @example
 * const transport = serviceTransport({ service: 'economic-governor', baseUrl, tokens, scopes });
 * const api = createClient<paths>({ baseUrl: transport.apiUrl });
 * await api.GET('/ledgers', { fetch: transport.fetchFor({ timeoutMs: 1_000 }) });
 */
export function serviceTransport({
  service,
  baseUrl,
  tokens,
  scopes,
  timeoutMs = 5_000,
  logger,
  ...policyOptions
}: ServiceTransportOptions): ServiceTransport {
  const policy = upstreamPolicy(policyOptions);
  policy.breaker.onBreak(() =>
    logger?.warn({ upstream: service }, 'circuit breaker opened: calls fail at once for a while'),
  );
  policy.breaker.onReset(() => logger?.info({ upstream: service }, 'circuit breaker closed'));
  return {
    service,
    apiUrl: `${baseUrl.replace(/\/+$/, '')}/v1`,
    breakerState: () => policy.breaker.state,
    fetchFor:
      (options = {}) =>
      async (request) => {
        const headers = new Headers(request.headers);
        headers.set('authorization', `Bearer ${await tokens(service, scopes)}`);
        for (const [name, value] of Object.entries(propagatedHeaders(options)))
          headers.set(name, value);
        if (options.idempotencyKey) headers.set('idempotency-key', options.idempotencyKey);
        const prepared = new Request(request, { headers });
        const idempotent = IDEMPOTENT_METHODS.has(request.method) || headers.has('idempotency-key');
        try {
          return await policy.run(
            (signal) =>
              answered(
                prepared.clone(),
                options.signal ? AbortSignal.any([signal, options.signal]) : signal,
              ),
            { idempotent, timeoutMs: options.timeoutMs ?? timeoutMs, signal: options.signal },
          );
        } catch (error) {
          // The caller gave up: its own reason, not the upstream's.
          if (options.signal?.aborted) throw options.signal.reason;
          throw unavailable(service, error);
        }
      },
  };
}

/**
 * The whole answer, read within the attempt: the attempt's signal ends when it returns, and a
 * body still streaming then would be cut off.
 */
async function answered(request: Request, signal: AbortSignal): Promise<Response> {
  const response = await fetch(request, { signal });
  const body = await response.arrayBuffer();
  return new Response(response.status === 204 || response.status === 304 ? null : body, {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}

function unavailable(service: string, error: unknown): unknown {
  if (error instanceof BrokenCircuitError)
    return new ServiceUnavailableError(service, 'circuit_open', { cause: error });
  if (error instanceof TaskCancelledError)
    return new ServiceUnavailableError(service, 'timeout', { cause: error });
  if (error instanceof TypeError)
    return new ServiceUnavailableError(service, 'unreachable', { cause: error });
  return error;
}

export { CircuitState };
