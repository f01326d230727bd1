import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { ServiceProblemError } from '../../../platform/service-client/index.js';
import { parseAia } from '../../domain/aia-amount.js';
import { minAia } from '../../domain/budget-split.js';
import { delegationOf, recordSettlement } from '../../repository/delegations.js';
import type { DelegationDeps } from './delegation-deps.js';

/** Ledger answers meaning the reservation already ended by its timeout: nothing left to settle. */
const EXPIRED = new Set(['pending_transfer_expired', 'pending_transfer_already_expired']);
/** Ledger answers meaning it was voided already (released when its parent ended first). */
const VOIDED = new Set(['pending_transfer_already_voided']);

/**
 * Ends the budget reservation of child task `childTaskId`, once: a completed child's cost (at
 * most its budget) is posted to it — a partial post, the rest returns to the parent — and any
 * other end (failed, rejected, canceled, past its deadline), or a free run, voids it. The
 * post or void has an id derived from the child's, so a retried settle (a crash after the
 * ledger answered) is the same transfer. A reservation the ledger already expired is recorded
 * as such. Throws while the ledger cannot be reached: the job retries.
 */
export async function settleReservation(deps: DelegationDeps, childTaskId: string): Promise<void> {
  const { sql, governor } = deps;
  const delegation = await delegationOf(sql, childTaskId);
  if (!delegation?.reservation_id || delegation.settlement || !delegation.finished_at) return;
  const [child] = await sql<{ state: string; cost: string | null }[]>`
    select state, metadata #>> '{cost,aia}' as cost from a2a_tasks where id = ${childTaskId}`;
  const cost =
    child?.state === 'TASK_STATE_COMPLETED'
      ? minAia(child.cost ?? '0', delegation.budget_aia)
      : '0';
  const id = nameBasedUuid(`settle:${childTaskId}`);
  const options = { idempotencyKey: `settle-${childTaskId}` };
  try {
    if (parseAia(cost) > 0n) {
      await governor.postPending(delegation.reservation_id, { id, amount: cost }, options);
      await recordSettlement(sql, childTaskId, 'posted', cost);
    } else {
      await governor.voidPending(delegation.reservation_id, { id }, options);
      await recordSettlement(sql, childTaskId, 'voided', '0');
    }
  } catch (error) {
    if (error instanceof ServiceProblemError && VOIDED.has(error.code)) {
      await recordSettlement(sql, childTaskId, 'voided', '0');
      return;
    }
    if (!(error instanceof ServiceProblemError && EXPIRED.has(error.code))) throw error;
    deps.logger.warn(
      { childTaskId, reservationId: delegation.reservation_id },
      'the reservation expired before it was settled',
    );
    await recordSettlement(sql, childTaskId, 'expired', '0');
  }
}
