import type { LeaderWorker } from '../../../platform/workers.js';
import type { DelegationDeps } from './delegation-deps.js';
import { settleReservation } from './settle.js';

/** Reservations settled per run; a full batch runs again at once. */
const BATCH = 50;

/**
 * How long after its child ended a reservation may stay unsettled before the reconciler settles
 * it: just past the settle job's own retries (30, about 2 h 6 min), and — with the 5-minute
 * interval — well before the ledger's timeout (3 h after the deadline, so at least 3 h after
 * the child ended), so a completed child is still paid. When both meet, the ledger's idempotent
 * post or void makes it one settlement.
 */
export const RECONCILE_AFTER_MINUTES = 135;

/**
 * Settles, on one replica, the reservations of children that ended long ago and whose settle
 * job gave up (its retries exhausted while the ledger was unreachable, or the job lost): each
 * through {@link settleReservation}, which posts or voids it once, or records that the ledger
 * expired it at its timeout. So every reservation's end is recorded eventually, whatever
 * happened to its job.
 */
export const settlementReconciler = ({
  deps,
  intervalMs = 5 * 60_000,
  afterMinutes = RECONCILE_AFTER_MINUTES,
}: {
  deps: DelegationDeps;
  intervalMs?: number;
  afterMinutes?: number;
}): LeaderWorker => ({
  name: 'settlement-reconciler',
  intervalMs,
  leader: { sql: deps.sql, lock: 'aia:agent-orchestrator:settlement-reconciler' },
  run: async (_tx, signal) => {
    const stale = await deps.sql<{ child_task_id: string }[]>`
      select child_task_id from task_delegations
      where reservation_id is not null and settlement is null
        and finished_at < now() - make_interval(mins => ${afterMinutes})
      order by finished_at limit ${BATCH}`;
    for (const { child_task_id } of stale) {
      if (signal.aborted) return 'idle';
      try {
        await settleReservation(deps, child_task_id);
      } catch (error) {
        deps.logger.warn(
          { err: error, childTaskId: child_task_id },
          'a stale reservation could not be settled yet',
        );
        return 'idle';
      }
    }
    return stale.length === BATCH ? 'more' : 'idle';
  },
});
