import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { ServiceProblemError } from '../../../platform/service-client/index.js';
import { hasChildren } from '../../repository/delegations.js';
import type { DelegationDeps } from './delegation-deps.js';
import type { Plan } from './plan.js';
import { childTaskIdOf } from './spawn-children.js';

/** Answers meaning there is nothing (left) to release: never reserved, or already ended. */
const NOTHING_TO_RELEASE = new Set([
  'pending_transfer_not_found',
  'pending_transfer_already_voided',
  'pending_transfer_already_expired',
  'pending_transfer_expired',
]);

/**
 * Voids the reservations a plan's attempt made for task `taskId` before any child was recorded
 * (the task ended meanwhile, or a refused reservation rejected it): each planned child's pending
 * transfer, by its id, once. Children that were recorded are settled by their own settle jobs.
 */
export async function releasePlan(deps: DelegationDeps, taskId: string): Promise<void> {
  const { sql } = deps;
  if (await hasChildren(sql, taskId)) return;
  const [row] = await sql<{ plan: Plan | null }[]>`
    select metadata #> '{delegation,plan}' as plan from a2a_tasks where id = ${taskId}`;
  for (const position of row?.plan?.subtasks.keys() ?? [])
    await releaseReservation(deps, childTaskIdOf(taskId, position));
}

/**
 * Voids the reservation of a child that was never recorded (its pending transfer's id is the
 * child's), once; nothing when there is none or it ended already.
 */
export async function releaseReservation(
  { governor }: Pick<DelegationDeps, 'governor'>,
  reservation: string,
): Promise<void> {
  try {
    await governor.voidPending(
      reservation,
      { id: nameBasedUuid(`release:${reservation}`) },
      { idempotencyKey: `release-${reservation}` },
    );
  } catch (error) {
    if (!(error instanceof ServiceProblemError && NOTHING_TO_RELEASE.has(error.code))) throw error;
  }
}
