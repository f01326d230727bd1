import {
  APICallError,
  JSONParseError,
  NoContentGeneratedError,
  NoObjectGeneratedError,
  NoOutputGeneratedError,
  TypeValidationError,
} from 'ai';
import type { Attempt } from './types.js';

/** What one failed attempt means for the route, its provider and the call. */
export interface Failure {
  readonly outcome: Exclude<Attempt['outcome'], 'ok' | 'circuit_open' | 'over_budget'>;
  readonly status?: number;
  /** Worth trying the same route again (429, 5xx, no answer). */
  readonly retryable: boolean;
  /** Counted by the provider's circuit breaker (the provider's fault, not the request's). */
  readonly providerFault: boolean;
  /** From the provider's Retry-After (seconds or an HTTP date) or retry-after-ms header. */
  readonly retryAfterMs?: number;
}

/** Parses Retry-After / retry-after-ms; undefined when absent or unreadable. */
export function retryAfterMs(
  headers: Readonly<Record<string, string>> | undefined,
  now = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = lower['retry-after'];
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (value.trim() !== '' && Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/**
 * Classifies an attempt's error. `timedOut` says the attempt's own deadline fired (the caller's
 * abort is handled before this: it ends the call, it is not a failure of the route).
 */
export function classify(error: unknown, timedOut: boolean): Failure {
  if (timedOut) return { outcome: 'timeout', retryable: false, providerFault: true };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 429)
      return {
        outcome: 'rate_limited',
        status,
        retryable: true,
        providerFault: true,
        retryAfterMs: retryAfterMs(error.responseHeaders),
      };
    // 408: the provider's own timeout; 5xx: its failure (Anthropic's 529 "overloaded" among them).
    if (status !== undefined && (status >= 500 || status === 408))
      return {
        outcome: 'error',
        status,
        retryable: true,
        providerFault: true,
        retryAfterMs: retryAfterMs(error.responseHeaders),
      };
    // No status: the request never got an answer (network error). A success status: the answer
    // came but could not be read (the SDK wraps a malformed body so): the provider's fault.
    if (status === undefined || (status >= 200 && status < 300))
      return { outcome: 'error', status, retryable: true, providerFault: true };
    return { outcome: 'error', status, retryable: false, providerFault: false };
  }
  // The model answered, but not with the object asked for: another route may.
  if (
    NoObjectGeneratedError.isInstance(error) ||
    NoOutputGeneratedError.isInstance(error) ||
    NoContentGeneratedError.isInstance(error) ||
    TypeValidationError.isInstance(error)
  )
    return { outcome: 'refused', retryable: false, providerFault: false };
  // An answer the client could not read (malformed body).
  if (JSONParseError.isInstance(error))
    return { outcome: 'error', retryable: true, providerFault: true };
  // fetch's network failure, or anything else: another route may do better.
  return { outcome: 'error', retryable: error instanceof TypeError, providerFault: true };
}
