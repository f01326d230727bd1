import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import { inTransaction } from '../../platform/transactions.js';
import { type LeaderWorker, tryLeadership } from '../../platform/workers.js';
import type { LedgerMetrics } from '../metrics.js';
import { applyOperation } from '../operations/apply-operation.js';
import { dropTimeouts, dueTimeouts } from '../repository/pending-timeouts.js';

export const EXPIRY_ACTOR = 'system:expiry';
/** Pending transfers expired per transaction. */
const EXPIRY_BATCH = 1_000;
/** One sweeper at a time across replicas. */
const EXPIRY_LOCK = 'aia:ledger:pending-expiry';

/**
 * Expires pending transfers past their timeout, releasing their reservations, inside `tx` (up to
 * a batch). The queue rows are read without row locks, so the sweep, like every write, locks
 * accounts first: no lock cycle with a concurrent post or void. The database allows one
 * resolution per pending transfer. Returns how many were due and how many expired.
 */
async function expireDueIn(
  tx: Database,
  metrics?: LedgerMetrics,
  logger?: Logger,
): Promise<{ due: number; expired: number }> {
  const due = await dueTimeouts(tx, EXPIRY_BATCH);
  if (due.length === 0) return { due: 0, expired: 0 };
  const { results } = await applyOperation(
    tx,
    { subject: EXPIRY_ACTOR, admin: true },
    {
      action: 'transfer.expire',
      commands: due.map((pendingId) => ({ type: 'expire', id: randomUUID(), pendingId })),
      details: { due: due.length },
    },
  );
  // Rows whose pending was resolved some other way meanwhile are stale: drop them. Any other
  // refusal would be a bug: keep the row (the reservation must still be released) and log it.
  const stale: string[] = [];
  due.forEach((pendingId, index) => {
    const result = results[index];
    if (result?.status !== 'failed') return;
    if (result.error.code.startsWith('pending_transfer_already_')) stale.push(pendingId);
    else logger?.error({ pendingId, refusal: result.error }, 'cannot expire pending transfer');
  });
  await dropTimeouts(tx, stale);
  const expired = results.filter((result) => result.status === 'created');
  for (const result of expired) metrics?.countResults(result.transfer.ledger, [result]);
  if (expired.length > 0) logger?.info({ expired: expired.length }, 'pending transfers expired');
  return { due: due.length, expired: expired.length };
}

/** One expiry batch now, in a transaction of its own, unless another replica is sweeping. */
export async function expireDuePendingTransfers(
  sql: Database,
  metrics?: LedgerMetrics,
  logger?: Logger,
): Promise<number> {
  return inTransaction(sql, async (tx) => {
    const leads = await tryLeadership(tx, EXPIRY_LOCK);
    return leads ? (await expireDueIn(tx, metrics, logger)).expired : 0;
  });
}

/** The expiry as a leader worker: every `intervalMs`, at once again after a full batch. */
export const pendingExpiryWorker = ({
  sql,
  logger,
  metrics,
  intervalMs,
}: {
  sql: Database;
  logger: Logger;
  metrics: LedgerMetrics;
  intervalMs: number;
}): LeaderWorker => ({
  name: 'pending-expiry',
  intervalMs,
  leader: { sql, lock: EXPIRY_LOCK },
  run: async (tx) =>
    (await expireDueIn(tx, metrics, logger)).due === EXPIRY_BATCH ? 'more' : 'idle',
});
