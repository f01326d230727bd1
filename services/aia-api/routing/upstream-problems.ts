import { AppError } from '../../platform/errors.js';

/**
 * Why the gateway answers for an upstream: it gave no answer in time (504), it is down or its
 * circuit breaker is open (503, with `Retry-After`), or it failed (its 5xx, answered 502). The
 * detail names the service the table routes to and never an address, a cause or the upstream's
 * own body; the kit's problem document adds the request id to quote.
 */
export class UpstreamTimeoutError extends AppError {
  constructor(service: string, timeoutMs: number) {
    super(504, 'upstream_timeout', `${service} did not answer within ${timeoutMs} ms`, {
      extensions: { upstream: service },
    });
  }
}

export class UpstreamUnavailableError extends AppError {
  constructor(service: string, retryAfterSeconds: number) {
    super(
      503,
      'upstream_unavailable',
      `${service} is unavailable: retry after ${retryAfterSeconds} s`,
      {
        headers: { 'Retry-After': String(retryAfterSeconds) },
        extensions: { upstream: service, retryAfterSeconds },
      },
    );
  }
}

export class BadGatewayError extends AppError {
  constructor(service: string, upstreamStatus: number) {
    super(502, 'bad_gateway', `${service} failed to answer this request`, {
      extensions: { upstream: service, upstreamStatus },
    });
  }
}
