import {
  type CircuitBreakerPolicy,
  ConsecutiveBreaker,
  circuitBreaker,
  ExponentialBackoff,
  handleWhen,
  retry,
  TaskCancelledError,
  TimeoutStrategy,
  timeout,
  wrap,
} from 'cockatiel';

export interface UpstreamPolicyOptions {
  /** Further attempts of an idempotent call after the first. Default 2. */
  readonly retries?: number;
  /** First retry delay; doubles (with jitter) up to `maxBackoffMs`. Default 100 ms. */
  readonly initialBackoffMs?: number;
  /** Default 2,000 ms. */
  readonly maxBackoffMs?: number;
  /** Consecutive failures (no answer, or a 5xx) that open the breaker. Default 5. */
  readonly breakerFailures?: number;
  /** How long an open breaker fails calls at once before it lets one through. Default 10 s. */
  readonly halfOpenAfterMs?: number;
}

/** An answer with an error status worth counting (5xx) or retrying (429, 502, 503, 504). */
export class UpstreamStatus extends Error {
  constructor(readonly response: Response) {
    super(`HTTP ${response.status}`);
  }
}

const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);

/** No answer at all: a network failure (fetch's TypeError) or the attempt's time ran out. */
const noAnswer = (error: unknown) =>
  error instanceof TaskCancelledError || (error instanceof TypeError && !isAbort(error));
const isAbort = (error: unknown) => error instanceof Error && error.name === 'AbortError';

/** What the breaker counts against an upstream: no answer, or a server error. */
const upstreamFailure = (error: unknown) =>
  noAnswer(error) || (error instanceof UpstreamStatus && error.response.status >= 500);

/** What may be tried again, for an idempotent call: no answer, overload, a gateway's error. */
const transient = (error: unknown) =>
  noAnswer(error) ||
  (error instanceof UpstreamStatus && RETRYABLE_STATUSES.has(error.response.status));

/** One attempt: gets the attempt's abort signal, resolves with the response. */
export type Attempt = (signal: AbortSignal) => Promise<Response>;

/**
 * The policies of one upstream, shared by every call to it: a circuit breaker (cockatiel's
 * consecutive breaker: open after `breakerFailures`, half-open after `halfOpenAfterMs`), a
 * per-attempt timeout, and retries with exponential backoff for idempotent calls only.
 */
export function upstreamPolicy({
  retries = 2,
  initialBackoffMs = 100,
  maxBackoffMs = 2_000,
  breakerFailures = 5,
  halfOpenAfterMs = 10_000,
}: UpstreamPolicyOptions = {}) {
  const breaker = circuitBreaker(handleWhen(upstreamFailure), {
    halfOpenAfter: halfOpenAfterMs,
    breaker: new ConsecutiveBreaker(breakerFailures),
  });
  const retrying = retry(handleWhen(transient), {
    maxAttempts: retries,
    backoff: new ExponentialBackoff({ initialDelay: initialBackoffMs, maxDelay: maxBackoffMs }),
  });
  // A failed attempt's body is not read: release its connection before the next attempt.
  retrying.onRetry((reason) => {
    if ('error' in reason && reason.error instanceof UpstreamStatus)
      void reason.error.response.body?.cancel();
  });
  /**
   * Runs `attempt` under the policies; resolves with the response (a 5xx or 429 included, once
   * retries are spent), or rejects with `TaskCancelledError` (time ran out),
   * `BrokenCircuitError` (breaker open), or fetch's error.
   */
  const run = async (
    attempt: Attempt,
    {
      idempotent,
      timeoutMs,
      signal,
    }: { idempotent: boolean; timeoutMs: number; signal?: AbortSignal },
  ): Promise<Response> => {
    const limited = timeout(timeoutMs, TimeoutStrategy.Aggressive);
    const policy = idempotent ? wrap(retrying, breaker, limited) : wrap(breaker, limited);
    try {
      return await policy.execute(async ({ signal: attemptSignal }) => {
        const response = await attempt(attemptSignal);
        if (response.status >= 500 || RETRYABLE_STATUSES.has(response.status))
          throw new UpstreamStatus(response);
        return response;
      }, signal);
    } catch (error) {
      if (error instanceof UpstreamStatus) return error.response;
      throw error;
    }
  };
  return { run, breaker: breaker as CircuitBreakerPolicy };
}
