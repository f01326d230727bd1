import type { Database } from '../../../platform/db.js';
import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { ServiceProblemError } from '../../../platform/service-client/index.js';
import { hasChildren } from '../../repository/delegations.js';
import type { DelegationDeps } from './delegation-deps.js';
import type { Plan } from './plan.js';
import { intentsOf, type ReassignmentIntent } from './reassignment-intents.js';
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
  const [row] = await sql<{ metadata: Record<string, unknown> }[]>`
    select metadata from a2a_tasks where id = ${taskId}`;
  if (!row) return;
  const plan = (row.metadata.delegation as { plan?: Plan } | undefined)?.plan;
  if (plan && !(await hasChildren(sql, taskId)))
    for (const position of plan.subtasks.keys())
      await releaseReservation(deps, childTaskIdOf(taskId, position));
  for (const intent of await unrecordedIntents(sql, { id: taskId, metadata: row.metadata }))
    await releaseReservation(deps, intent.id);
}

/**
 * The reassignment intents of `task` (replacements chosen for failed children) that never
 * became children: what they may have reserved is released when the task ends.
 */
export async function unrecordedIntents(
  sql: Database,
  task: { readonly id: string; readonly metadata?: Record<string, unknown> | undefined },
): Promise<ReassignmentIntent[]> {
  const intents = intentsOf(task.metadata);
  if (intents.length === 0) return [];
  const recorded = await sql<{ child_task_id: string }[]>`
    select child_task_id from task_delegations
    where parent_task_id = ${task.id} and child_task_id = any(${intents.map((i) => i.id)})`;
  const ids = new Set(recorded.map((row) => row.child_task_id));
  return intents.filter((intent) => !ids.has(intent.id));
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
