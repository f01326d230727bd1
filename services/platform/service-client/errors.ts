/** An RFC 9457 problem document, as the platform's services answer errors. */
export interface Problem {
  readonly type?: string;
  readonly title?: string;
  readonly status?: number;
  readonly detail?: string;
  /** Field by field, for a 422. */
  readonly errors?: readonly { readonly field: string; readonly reason: string }[];
  readonly [extension: string]: unknown;
}

/** The callee answered with an error status; `problem` is its problem document. */
export class ServiceProblemError extends Error {
  override readonly name = 'ServiceProblemError';
  /** The problem's code: the last segment of its `type` (`validation_failed`, `not_found`...). */
  readonly code: string;
  constructor(
    readonly service: string,
    readonly status: number,
    readonly problem: Problem,
  ) {
    super(`${service} answered ${status}: ${problem.detail ?? problem.title ?? 'no detail'}`);
    this.code = problem.type?.split(':').at(-1) ?? `http_${status}`;
  }
}

/** Why no answer came: too slow, not reachable, or the circuit breaker is open. */
export type UnavailableReason = 'timeout' | 'unreachable' | 'circuit_open';

/** The callee gave no answer (after the retries an idempotent call is allowed). */
export class ServiceUnavailableError extends Error {
  override readonly name = 'ServiceUnavailableError';
  constructor(
    readonly service: string,
    readonly reason: UnavailableReason,
    options?: { cause?: unknown },
  ) {
    super(`${service} is unavailable (${reason.replaceAll('_', ' ')})`, options);
  }
}
