import {
  BrokenCircuitError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
} from 'cockatiel';
import type { Failure } from './failure.js';

/** An attempt's failure, carried through the breaker so it counts only the provider's faults. */
export class AttemptFailed extends Error {
  constructor(
    readonly failure: Failure,
    readonly error: unknown,
    /** No other route may be tried (a stream already gave the caller text). */
    readonly final = false,
  ) {
    super(failure.outcome);
  }
}

export interface ProviderGuardOptions {
  /** Calls in flight at once; more wait in line. */
  readonly maxConcurrency: number;
  /** Consecutive provider faults that open the breaker. Default 5. */
  readonly breakerFailures?: number;
  /** How long an open breaker skips the provider before one call may try. Default 30 s. */
  readonly halfOpenAfterMs?: number;
}

/** One provider's circuit breaker and concurrency limit, shared by every call to it. */
export interface ProviderGuard {
  /**
   * Runs `attempt` through the breaker (`BrokenCircuitError` at once while it is open; after
   * `halfOpenAfterMs` one call may try, the others are refused until it ends) once a slot is free;
   * the slot is held until `attempt` calls `release` (a stream holds it until its end), or fails.
   */
  run<T>(attempt: (release: () => void) => Promise<T>, signal: AbortSignal): Promise<T>;
  readonly breaker: CircuitBreakerPolicy;
  /** Calls holding a slot now. */
  inFlight(): number;
}

/** A counting semaphore whose waiters give up when their signal aborts. */
function slots(limit: number) {
  let busy = 0;
  const waiting: (() => void)[] = [];
  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else busy -= 1;
  };
  const acquire = (signal: AbortSignal): Promise<() => void> => {
    if (signal.aborted) return Promise.reject(signal.reason);
    if (busy < limit) {
      busy += 1;
      return Promise.resolve(once(release));
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal.removeEventListener('abort', abandon);
        resolve(once(release));
      };
      const abandon = () => {
        const index = waiting.indexOf(grant);
        if (index >= 0) waiting.splice(index, 1);
        reject(signal.reason);
      };
      waiting.push(grant);
      signal.addEventListener('abort', abandon, { once: true });
    });
  };
  return { acquire, inFlight: () => busy };
}

const once = (fn: () => void) => {
  let done = false;
  return () => {
    if (!done) {
      done = true;
      fn();
    }
  };
};

export function providerGuard({
  maxConcurrency,
  breakerFailures = 5,
  halfOpenAfterMs = 30_000,
}: ProviderGuardOptions): ProviderGuard {
  const breaker = circuitBreaker(
    handleWhen((error) => error instanceof AttemptFailed && error.failure.providerFault),
    { halfOpenAfter: halfOpenAfterMs, breaker: new ConsecutiveBreaker(breakerFailures) },
  );
  const limit = slots(maxConcurrency);
  return {
    breaker,
    inFlight: limit.inFlight,
    // The breaker decides first (and moves itself to half-open when its time comes), so a call to
    // an open provider neither waits for a slot nor holds one.
    run: (attempt, signal) => {
      // Half-open: one call is already trying the provider; the others go elsewhere meanwhile.
      if (breaker.state === CircuitState.HalfOpen) return Promise.reject(new BrokenCircuitError());
      return breaker.execute(async () => {
        const release = await limit.acquire(signal);
        try {
          return await attempt(release);
        } catch (error) {
          release();
          throw error;
        }
      }, signal);
    },
  };
}
