import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { AppEnv } from '../../../platform/types.js';
import { requestClassOfPath } from '../request-limits.js';
import type { AuditRecorder } from './audit-recorder.js';
import type { AuditEntry } from './chain.js';

/** Methods that change state (RFC 9110's unsafe methods the API serves). */
const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Who made a call the gateway did not authenticate itself (`/v1/a2a`: the upstream does). */
export const ANONYMOUS_ACTOR = 'anonymous';

const MAX_TARGET = 500;
const MAX_REQUEST_ID = 200;

/**
 * Records every state-changing call (POST, PUT, PATCH, DELETE) that reached the gateway's routes
 * — past authentication, rate limits and the body limit — once its answer's status is known,
 * before the answer goes back: actor (the token's subject, else `anonymous`), action (method and
 * route template, `POST /v1/ledger/*`), target (the path, without the query, which may carry
 * secrets), outcome (status and class), request id and time. A streamed answer is recorded when
 * its head arrives, not when its body ends.
 */
export const auditCalls = (recorder: AuditRecorder): MiddlewareHandler<AppEnv> =>
  async function auditCalls(c, next) {
    if (!STATE_CHANGING.has(c.req.method)) return next();
    await next();
    await recorder.record(auditEntryOf(c));
  };

/** The audit entry of a call that was answered with `c.res`. */
export function auditEntryOf(c: Context<AppEnv>): AuditEntry {
  const status = c.res.status;
  const principal = c.get('principal');
  return {
    actor: principal?.subject ?? ANONYMOUS_ACTOR,
    // After the call, the route index is the handler's that answered: its template.
    action: `${c.req.method} ${routePath(c)}`.slice(0, 200),
    target: c.req.path.slice(0, MAX_TARGET),
    request_id: c.get('requestId')?.slice(0, MAX_REQUEST_ID) ?? null,
    details: {
      route_class: requestClassOfPath(c.req.path, c.req.header('accept')),
      ...(principal ? {} : { client_address: clientAddress(c) }),
    },
    occurred_at: new Date().toISOString(),
    outcome: { status, class: statusClass(status) },
  };
}

const STATUS_CLASSES = [
  'informational',
  'success',
  'redirection',
  'client_error',
  'server_error',
] as const;

/** `success` for 2xx, `client_error` for 4xx, … (RFC 9110, section 15). */
export const statusClass = (status: number): (typeof STATUS_CLASSES)[number] =>
  STATUS_CLASSES[
    Math.min(Math.max(Math.floor(status / 100) - 1, 0), 4)
  ] as (typeof STATUS_CLASSES)[number];

function clientAddress(c: Context<AppEnv>): string {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
