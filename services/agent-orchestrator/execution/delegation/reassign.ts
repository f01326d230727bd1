import type { Task } from '@a2a-js/sdk';
import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { Agent } from '../../domain/agent.js';
import { findAgent } from '../../repository/agent-store.js';
import {
  currentChildrenOf,
  type DelegationWithChild,
  deadlineOf,
  insertDelegation,
  setDeadline,
} from '../../repository/delegations.js';
import { ownerContext, type TaskScope } from '../../repository/task-runs.js';
import { PostgresTaskStore } from '../../repository/task-store.js';
import { messageText } from '../resume-task.js';
import { writeTaskRecorded } from '../task-events.js';
import { childTask } from './child-task.js';
import type { DelegationDeps } from './delegation-deps.js';
import { recordIntent } from './reassignment-intents.js';
import { releaseReservation } from './release.js';
import { reserveBudget } from './reserve-budget.js';
import { delegatesFor, type SkillRanking } from './roster.js';
import { settleReservation } from './settle.js';

/** How many times one subtask is given to another agent after its child failed. */
export const MAX_REASSIGNMENTS = 1;

/** Child states a retry elsewhere may help: the agent failed or refused, nobody stopped it. */
const RETRIED_STATES = new Set(['TASK_STATE_FAILED', 'TASK_STATE_REJECTED']);

/** The id of the replacement of a subtask's child: a retry of the step names the same task. */
export const replacementIdOf = (parentTaskId: string, subtask: number, attempt: number): string =>
  nameBasedUuid(`child:${parentTaskId}:${subtask}:${attempt}`);

/** A failed child with the agent to give its subtask to instead. */
interface Reassignment {
  readonly failed: DelegationWithChild;
  readonly agent: Agent;
  readonly id: string;
  readonly attempt: number;
  readonly reservationId: string | null;
}

/**
 * Gives the subtask of each child of `parent` that failed or was rejected to another agent the
 * parent may delegate to (its reports, agents with the asked skills) that has not had that
 * subtask, at most {@link MAX_REASSIGNMENTS} times per subtask: the replacement gets the failed
 * child's request and budget (reserved anew, the failed child's reservation having been voided),
 * and the parent keeps working until it ends. True when any subtask was reassigned (the parent
 * combines again after the replacements end); false when none could be, and the parent combines
 * what it has. A retried step reserves the same transfers and records nothing twice.
 */
export async function reassignFailed(
  deps: DelegationDeps & { readonly maxDepth: number; readonly dkg?: SkillRanking | undefined },
  { scope, parent, agent }: { scope: TaskScope; parent: Task; agent: Agent },
): Promise<boolean> {
  const { sql } = deps;
  const failed = (await currentChildrenOf(sql, parent.id)).filter((child) =>
    RETRIED_STATES.has(child.state),
  );
  if (failed.length === 0) return false;
  const roster = await delegatesFor(sql, agent, parent, deps.maxDepth, {
    dkg: deps.dkg,
    logger: deps.logger,
  });
  const deadline = await deadlineOf(sql, parent.id);
  const chosen: Reassignment[] = [];
  let parentEnded = false;
  for (const child of failed) {
    const tried = await sql<{ child_agent_id: string }[]>`
      select child_agent_id from task_delegations
      where parent_task_id = ${parent.id} and subtask = ${child.subtask}`;
    const attempt = tried.length;
    if (attempt > MAX_REASSIGNMENTS) continue;
    const triedIds = new Set(tried.map((row) => row.child_agent_id));
    const candidate = roster.find((other) => !triedIds.has(other.id));
    if (!candidate) continue;
    const id = replacementIdOf(parent.id, child.subtask, attempt);
    // Recorded on the parent before anything is reserved, the first choice wins: a retried step
    // reserves the same transfer for the same agent (the roster may answer otherwise by then),
    // and the parent's end releases what was reserved but never became a child.
    const intended = await recordIntent(sql, parent.id, { id, agent_id: candidate.id });
    if (!intended) {
      parentEnded = true;
      break;
    }
    const next =
      intended.agent_id === candidate.id
        ? candidate
        : (roster.find((other) => other.id === intended.agent_id) ??
          (await findAgent(sql, intended.agent_id)));
    if (!next) continue;
    // The failed child's reservation is voided first (here, if its settle job has not run: the
    // void is idempotent), so the parent's money is free again.
    if (child.reservation_id && !child.settlement)
      await settleReservation(deps, child.child_task_id);
    const reservation = await reserveBudget(deps, {
      parent: agent,
      child: next,
      childTaskId: id,
      budgetAia: child.budget_aia,
      deadline: deadline ?? new Date(Date.now() + 60 * 60 * 1_000),
    });
    if (!reservation.reserved) {
      deps.logger.warn(
        { taskId: parent.id, subtask: child.subtask, reason: reservation.reason },
        'a failed subtask could not be given to another agent',
      );
      continue;
    }
    chosen.push({ failed: child, agent: next, id, attempt, reservationId: reservation.id });
  }
  const recorded =
    chosen.length === 0 || parentEnded
      ? parentEnded
        ? 'parent-ended'
        : 'none'
      : await recordReassignments(deps, { scope, parent, agent, chosen, deadline });
  if (recorded !== 'parent-ended') return recorded === 'recorded';
  // The parent ended meanwhile: nothing was recorded, so the new reservations are released (the
  // parent's `release` step, enqueued at its end, releases them too should this fail).
  for (const { id, reservationId } of chosen) if (reservationId) await releaseReservation(deps, id);
  return false;
}

/**
 * Writes the replacements under the parent's row lock: `recorded` when any is (by this attempt,
 * or — its replacement there already — by another), `parent-ended` when the parent is no longer
 * working, `none` when no failed child is left to replace.
 */
function recordReassignments(
  deps: DelegationDeps,
  {
    scope,
    parent,
    agent,
    chosen,
    deadline,
  }: {
    scope: TaskScope;
    parent: Task;
    agent: Agent;
    chosen: readonly Reassignment[];
    deadline: Date | undefined;
  },
): Promise<'recorded' | 'parent-ended' | 'none'> {
  return inTransaction(deps.sql, async (tx) => {
    const [row] = await tx<{ state: string }[]>`
      select state from a2a_tasks where id = ${parent.id} for update`;
    if (row?.state !== 'TASK_STATE_WORKING') return 'parent-ended';
    let recorded: 'recorded' | 'none' = 'none';
    for (const { failed, agent: next, id, reservationId } of chosen) {
      const [current] = await tx<{ replaced_by: string | null }[]>`
        select replaced_by from task_delegations where child_task_id = ${failed.child_task_id}`;
      // Another attempt recorded this very replacement: it runs, and its reservation is its own.
      if (current?.replaced_by === id) recorded = 'recorded';
      if (current?.replaced_by !== null) continue;
      const [position] = await tx<{ next: number }[]>`
        select coalesce(max(position), -1)::int + 1 as next from task_delegations
        where parent_task_id = ${parent.id}`;
      const failedScope = { ...scope, agentId: failed.child_agent_id };
      const before = await new PostgresTaskStore(tx, { agentId: failed.child_agent_id }).load(
        failed.child_task_id,
        ownerContext(failedScope),
      );
      const task = childTask(parent, {
        id,
        delegatedBy: agent.id,
        budgetAia: failed.budget_aia,
        request: before?.history[0] ? messageText(before.history[0]) : '',
        metadata: { replaces_task_id: failed.child_task_id },
      });
      const childScope = { ...scope, agentId: next.id };
      await new PostgresTaskStore(tx, { agentId: next.id }).save(task, ownerContext(childScope));
      if (deadline) await setDeadline(tx, id, deadline);
      await insertDelegation(tx, {
        child_task_id: id,
        parent_task_id: parent.id,
        position: position?.next ?? 0,
        subtask: failed.subtask,
        parent_agent_id: agent.id,
        child_agent_id: next.id,
        budget_aia: failed.budget_aia,
        reservation_id: reservationId,
      });
      await tx`
        update task_delegations set replaced_by = ${id}
        where child_task_id = ${failed.child_task_id}`;
      await writeTaskRecorded(tx, id, next, { taskId: parent.id, agentId: agent.id });
      await deps.lifecycle.queue.enqueue(tx, id, 'run', {
        id: next.id,
        concurrency: next.limits.concurrency,
      });
      recorded = 'recorded';
    }
    return recorded;
  });
}
