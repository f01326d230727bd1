import { A2A_CONTENT_TYPE, StreamResponse, Task } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import {
  OutboundAddressError,
  type OutboundPolicy,
  publicFetch,
} from '../../platform/outbound/public-fetch.js';
import type { PeriodicWorker } from '../../platform/workers.js';
import {
  dropDelivery,
  type HeldDelivery,
  leaseDueDeliveries,
  retryDeliveryLater,
} from '../repository/push-deliveries.js';
import type { PushOutcome } from './push-metrics.js';
import type { PushSigner } from './push-signature.js';

/** The header carrying a config's `token`, as A2A 1.0 and the SDK's sender name it. */
export const NOTIFICATION_TOKEN_HEADER = 'X-A2A-Notification-Token';
/** Where the signature goes when the webhook's own credentials take `Authorization`. */
export const NOTIFICATION_SIGNATURE_HEADER = 'X-A2A-Notification-Signature';

export interface PushDeliveryOptions {
  readonly sql: Database;
  readonly signer: PushSigner;
  readonly policy: OutboundPolicy;
  readonly logger: Logger;
  /** Counts each attempt's outcome (`agent_push_deliveries_total`). */
  readonly attempted: (outcome: PushOutcome) => void;
  /** Pause between polls when nothing was due. Default 500 ms. */
  readonly intervalMs?: number;
  /** Notifications sent at once per poll (each to another config). Default 16. */
  readonly batchSize?: number;
  /** One attempt's limit. Default 10 s. */
  readonly timeoutMs?: number;
  /** Attempts before a notification is given up on. Default 10. */
  readonly maxAttempts?: number;
  /** Wait before the first retry, doubled each time. Default 500 ms. */
  readonly firstRetryDelayMs?: number;
  /** Longest wait between two attempts. Default 5 minutes. */
  readonly maxRetryDelayMs?: number;
}

// Statuses worth another attempt: the webhook timed out, is rate limiting, or failed itself.
const REQUEST_TIMEOUT = 408;
const TOO_MANY_REQUESTS = 429;
const FIRST_SERVER_ERROR = 500;

/**
 * Sends the push notifications the `a2a_tasks_push` trigger writes (migration 004), on every
 * replica: each poll leases the first unsent notification of each config's line, POSTs it, and
 * drops it when answered 2xx, refused, rejected (a 3xx or 4xx other than 408 and 429, logged) or
 * failed `maxAttempts` times; otherwise it is sent again after an exponential backoff (or the
 * webhook's Retry-After), and the rest of its line waits. At least once, in order per config;
 * the notification id (the JWT's jti) lets receivers drop a repeat.
 *
 * Why the deliveries table is the queue rather than pg-boss (which runs the agents' tasks): the
 * notifications are written by a trigger in the transaction that saves the task, so no code that
 * saves tasks has to remember them, and pg-boss jobs can only be sent from TypeScript. A pg-boss
 * queue would need a relay from this table, and two queues to keep in step. Here order per
 * config is the table's `seq`, retries are `attempts` and `next_attempt_at`, and replicas share
 * the work through leases taken with `for update skip locked`.
 *
 * Body: `StreamResponse` JSON with the task as saved (no history), as the SDK's sender sends it
 * (`application/a2a+json`). Headers: `X-A2A-Notification-Token` when the config has a token;
 * `Authorization: Bearer <JWT>` signed by {@link PushSigner} — or, when the config names the
 * webhook's own credentials, `Authorization: <scheme> <credentials>` and the JWT in
 * `X-A2A-Notification-Signature`.
 */
export function pushDeliveryWorker(options: PushDeliveryOptions): PeriodicWorker {
  const { sql, intervalMs = 500, batchSize = 16, timeoutMs = 10_000 } = options;
  // A worker that died mid-send leaves its notifications to others once this has passed.
  const leaseSeconds = Math.ceil(timeoutMs / 1000) * 3;
  return {
    name: 'agent-push-delivery',
    intervalMs,
    run: async (signal) => {
      const held = await leaseDueDeliveries(sql, { limit: batchSize, leaseSeconds });
      await Promise.all(held.map((delivery) => deliver(options, delivery, signal)));
      // The next of each line may be due now.
      return held.length > 0 ? 'more' : 'idle';
    },
  };
}

async function deliver(options: PushDeliveryOptions, delivery: HeldDelivery, stop: AbortSignal) {
  const { sql, signer, policy, logger, attempted, timeoutMs = 10_000 } = options;
  const { id, taskId, config } = delivery;
  const log = logger.child({ notificationId: id, taskId, configId: config.id });
  const body = JSON.stringify(
    StreamResponse.toJSON({ payload: { $case: 'task', value: Task.fromJSON(delivery.task) } }),
  );
  const jwt = await signer.sign({ url: config.url, notificationId: id, body });
  const credentials: Record<string, string> = config.authentication?.credentials
    ? {
        Authorization: `${config.authentication.scheme} ${config.authentication.credentials}`,
        [NOTIFICATION_SIGNATURE_HEADER]: jwt,
      }
    : { Authorization: `Bearer ${jwt}` };
  const headers: Record<string, string> = {
    'Content-Type': A2A_CONTENT_TYPE,
    'User-Agent': 'aia-agent-orchestrator',
    ...credentials,
    ...(config.token ? { [NOTIFICATION_TOKEN_HEADER]: config.token } : {}),
  };
  let failure: string;
  let retryAfterMs: number | undefined;
  try {
    const res = await publicFetch(
      config.url,
      {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.any([stop, AbortSignal.timeout(timeoutMs)]),
      },
      policy,
    );
    await res.body?.cancel();
    if (res.ok) {
      attempted('delivered');
      return dropDelivery(sql, id);
    }
    if (!isRetryable(res.status)) {
      attempted('rejected');
      log.warn({ status: res.status }, 'push notification rejected by its webhook; not sent again');
      return dropDelivery(sql, id);
    }
    failure = `HTTP ${res.status}`;
    retryAfterMs = retryAfterOf(res.headers.get('retry-after'));
  } catch (error) {
    if (error instanceof OutboundAddressError) {
      attempted('refused');
      log.warn({ reason: error.message }, 'push notification webhook refused; not sent');
      return dropDelivery(sql, id);
    }
    // Stopping: the notification goes back to the line at once, for this or another replica.
    if (stop.aborted) return retryDeliveryLater(sql, id, { delayMs: 0, error: 'worker stopped' });
    failure = (error as Error).message;
  }
  return retryOrGiveUp(options, delivery, failure, retryAfterMs, log);
}

async function retryOrGiveUp(
  options: PushDeliveryOptions,
  { id, attempts }: HeldDelivery,
  failure: string,
  retryAfterMs: number | undefined,
  log: Logger,
) {
  const {
    sql,
    attempted,
    maxAttempts = 10,
    firstRetryDelayMs = 500,
    maxRetryDelayMs = 300_000,
  } = options;
  if (attempts >= maxAttempts) {
    attempted('gave_up');
    log.warn({ failure, attempts }, 'push notification failed every attempt; given up');
    return dropDelivery(sql, id);
  }
  const backoff = firstRetryDelayMs * 2 ** (attempts - 1);
  const delayMs = Math.min(Math.max(backoff, retryAfterMs ?? 0), maxRetryDelayMs);
  attempted('retried');
  log.info({ failure, attempts, delayMs }, 'push notification failed; sent again later');
  return retryDeliveryLater(sql, id, { delayMs, error: failure });
}

const isRetryable = (status: number) =>
  status === REQUEST_TIMEOUT || status === TOO_MANY_REQUESTS || status >= FIRST_SERVER_ERROR;

/** A Retry-After header (seconds or an HTTP date) in milliseconds from now, when there is one. */
function retryAfterOf(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
