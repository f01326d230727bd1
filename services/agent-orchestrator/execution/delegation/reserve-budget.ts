import { ServiceProblemError } from '../../../platform/service-client/index.js';
import type { Agent } from '../../domain/agent.js';
import { parseAia } from '../../domain/aia-amount.js';
import type { DelegationDeps } from './delegation-deps.js';

/**
 * Seconds a reservation outlives its task's deadline: longer than the settle job's retries
 * (about two hours), so the settle job, not the ledger's timeout, ends it.
 */
const RESERVATION_GRACE_SECONDS = 3 * 60 * 60;

/** The ledger's longest pending timeout (30 days). */
const MAX_PENDING_TIMEOUT_SECONDS = 2_592_000;

/**
 * The ledger's answers that refuse this reservation for good: the parent cannot fund it, or it
 * can never be made as asked. Anything else (429, 401/403 while keys rotate, 5xx, no answer)
 * is thrown, so the step is retried.
 */
const REFUSALS = new Set([
  'exceeds_credits',
  'account_not_found',
  'ledger_mismatch',
  'not_account_owner',
  'exists_with_different_fields',
  'amount_must_be_positive',
  'overflows_debits',
  'overflows_credits',
]);

/** A reservation made (its pending transfer's id), or why the ledger refused it. */
export type Reservation =
  | { readonly reserved: true; readonly id: string | null }
  | { readonly reserved: false; readonly reason: string };

/**
 * Reserves `budgetAia` of `parent`'s AIA for child task `childTaskId` of `child`: a pending
 * transfer whose id is the child task's, so a retried reservation is the same transfer, with a
 * timeout at the task's deadline (plus a grace). A zero budget reserves nothing. A refusal (not
 * enough available AIA, a closed account) is an answer; an unreachable ledger throws (retried).
 *
 * The transfer's id is its idempotency key: the ledger answers a second request with that id and
 * the same accounts, amount and memo with the first transfer, whatever its timeout. No
 * `Idempotency-Key` of our own: the timeout counts from now, so an attempt retried later sends
 * another body, which the ledger would refuse under the same key (409), leaving the first
 * attempt's reservation pending and tied to no child.
 */
export async function reserveBudget(
  deps: Pick<DelegationDeps, 'governor'>,
  {
    parent,
    child,
    childTaskId,
    budgetAia,
    deadline,
  }: {
    parent: Agent;
    child: Agent;
    childTaskId: string;
    budgetAia: string;
    deadline: Date;
  },
): Promise<Reservation> {
  if (parseAia(budgetAia) === 0n) return { reserved: true, id: null };
  const timeoutSeconds = Math.min(
    MAX_PENDING_TIMEOUT_SECONDS,
    Math.max(1, Math.ceil((deadline.getTime() - Date.now()) / 1_000)) + RESERVATION_GRACE_SECONDS,
  );
  try {
    const transfer = await deps.governor.transfer({
      id: childTaskId,
      ledger: 'AIA',
      debit_account_id: parent.ledger_account_id,
      credit_account_id: child.ledger_account_id,
      amount: budgetAia,
      memo: `budget of task ${childTaskId} delegated to agent ${child.id}`,
      pending: { timeout_seconds: timeoutSeconds },
    });
    return { reserved: true, id: transfer.id };
  } catch (error) {
    if (!(error instanceof ServiceProblemError) || !REFUSALS.has(error.code)) throw error;
    const reason =
      error.code === 'exceeds_credits'
        ? `agent ${parent.id} cannot delegate: ${error.problem.detail ?? `less than ${budgetAia} AIA available`}`
        : `the ledger refused the ${budgetAia} AIA reservation for agent ${child.id}: ${error.problem.detail ?? error.code}`;
    return { reserved: false, reason };
  }
}
