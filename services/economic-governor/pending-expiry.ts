import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../platform/db.js';
import type { BackgroundTask } from '../platform/runtime.js';
import { applyOperation } from './ledger.js';
import type { LedgerMetrics } from './ledger-metrics.js';
import { deleteExpiredIdempotencyKeys } from './repository/idempotency-store.js';
import { inTransaction } from './repository/transaction.js';

export const EXPIRY_ACTOR = 'system:expiry';
/** Pending transfers expired per transaction. */
const EXPIRY_BATCH = 1_000;
/** Idempotency keys are swept once per this many ticks. */
const KEY_SWEEP_EVERY = 60;

export interface PendingExpiryOptions {
  readonly sql: Database;
  readonly logger: Logger;
  readonly metrics: LedgerMetrics;
  readonly intervalMs: number;
  readonly idempotencyKeyTtlHours: number;
}

/**
 * Expires pending transfers past their timeout, releasing their reservations. One sweeper at a
 * time across replicas (a transaction-scoped advisory lock; the others skip the tick). The queue
 * rows are read without row locks, so the sweep, like every write, locks accounts first: no lock
 * cycle with a concurrent post or void. The database allows one resolution per pending transfer.
 */
export async function expireDuePendingTransfers(
  sql: Database,
  metrics?: LedgerMetrics,
  logger?: Logger,
): Promise<number> {
  return inTransaction(sql, async (tx) => {
    const [lock] = await tx<{ acquired: boolean }[]>`
      select pg_try_advisory_xact_lock(hashtextextended('aia:ledger:pending-expiry', 0)) as acquired`;
    if (!lock?.acquired) return 0;
    const due = await tx<{ transfer_id: string }[]>`
      select transfer_id from pending_timeouts where timeout_at <= now()
       order by timeout_at limit ${EXPIRY_BATCH}`;
    if (due.length === 0) return 0;
    const { results } = await applyOperation(
      tx,
      { subject: EXPIRY_ACTOR, admin: true },
      {
        action: 'transfer.expire',
        commands: due.map((row) => ({
          type: 'expire',
          id: randomUUID(),
          pendingId: row.transfer_id,
        })),
        details: { due: due.length },
      },
    );
    // Rows whose pending was resolved some other way meanwhile are stale: drop them. Any other
    // refusal would be a bug: keep the row (the reservation must still be released) and log it.
    const stale: string[] = [];
    due.forEach((row, index) => {
      const result = results[index];
      if (result?.status !== 'failed') return;
      if (result.error.code.startsWith('pending_transfer_already_')) stale.push(row.transfer_id);
      else {
        logger?.error(
          { pendingId: row.transfer_id, refusal: result.error },
          'cannot expire pending transfer',
        );
      }
    });
    if (stale.length > 0) {
      await tx`delete from pending_timeouts where transfer_id = any(${stale}::uuid[])`;
    }
    for (const result of results) {
      if (result.status === 'created') metrics?.countResults(result.transfer.ledger, [result]);
    }
    return results.filter((result) => result.status === 'created').length;
  });
}

/** Runs the expiry every `intervalMs` (and sweeps old idempotency keys now and then) until stopped. */
export function startPendingExpiry({
  sql,
  logger,
  metrics,
  intervalMs,
  idempotencyKeyTtlHours,
}: PendingExpiryOptions): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  let stopped = false;
  let ticks = 0;
  const tick = async () => {
    try {
      let expired = 0;
      let batch: number;
      do {
        batch = await expireDuePendingTransfers(sql, metrics, logger);
        expired += batch;
        // A full batch means more may be due: go on, unless the service is stopping.
      } while (batch === EXPIRY_BATCH && !stopped);
      if (expired > 0) logger.info({ expired }, 'pending transfers expired');
      if (++ticks % KEY_SWEEP_EVERY === 0)
        await deleteExpiredIdempotencyKeys(sql, idempotencyKeyTtlHours);
    } catch (error) {
      logger.error({ err: error }, 'pending-transfer expiry failed; retrying at the next tick');
    }
  };
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = tick().then(schedule);
    }, intervalMs);
    timer.unref();
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
