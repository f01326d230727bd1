import { context, propagation } from '@opentelemetry/api';
import { tryGetContext } from 'hono/context-storage';
import type { AppEnv } from '../types.js';

/** What one call carries besides its parameters. */
export interface CallOptions {
  /** This call's time limit, per attempt. Default: the client's (5 s). */
  readonly timeoutMs?: number;
  /**
   * `X-Request-Id` to send. Default: the request being served, when the app runs Hono's
   * `contextStorage()`; else none (the callee makes one).
   */
  readonly requestId?: string;
  /**
   * `Idempotency-Key`: the callee replays the first answer to a repeated key, so the call may be
   * retried. Clients of services that support it set one on every POST (a new UUID by default).
   */
  readonly idempotencyKey?: string;
  /** Cancels the call (all attempts). */
  readonly signal?: AbortSignal;
}

/**
 * `X-Request-Id` (given, or that of the request being served) and W3C trace context
 * (`traceparent`, `tracestate`) of the active span, when tracing runs: one request id and one
 * trace follow a call from service to service.
 */
export function propagatedHeaders(options: CallOptions = {}): Record<string, string> {
  const headers: Record<string, string> = {};
  const requestId = options.requestId ?? tryGetContext<AppEnv>()?.get('requestId');
  if (requestId) headers['x-request-id'] = requestId;
  propagation.inject(context.active(), headers);
  return headers;
}
