import { type Task, TaskState } from '@a2a-js/sdk';
import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import { inTransaction } from '../../../platform/transactions.js';
import type { Agent } from '../../domain/agent.js';
import { findAgent } from '../../repository/agent-store.js';
import {
  deadlineOf,
  hasChildren,
  insertDelegation,
  setDeadline,
} from '../../repository/delegations.js';
import type { TaskScope } from '../../repository/task-runs.js';
import { ownerContext } from '../../repository/task-runs.js';
import { PostgresTaskStore, TERMINAL_TASK_STATES } from '../../repository/task-store.js';
import { writeTaskRecorded } from '../task-events.js';
import { withState } from '../task-states.js';
import { childTask } from './child-task.js';
import type { DelegationDeps } from './delegation-deps.js';
import type { Plan } from './plan.js';
import { type Reservation, reserveBudget } from './reserve-budget.js';

/** The id of the `position`-th child of task `parentTaskId`: a retry names the same child. */
export const childTaskIdOf = (parentTaskId: string, position: number): string =>
  nameBasedUuid(`child:${parentTaskId}:${position}`);

/** A deadline for a task that has none recorded (tasks from before deadlines existed). */
const FALLBACK_DEADLINE_MS = 60 * 60 * 1_000;

/**
 * Creates the children of `parent` that `plan` names, each with the budget the plan fixed: each
 * child's budget is reserved in the ledger first (idempotent by the child's id), then every child
 * task, its delegation record, its event and its run job are written in one transaction under
 * the parent's row lock. Run again after a crash, it reserves the same transfers and writes
 * nothing twice; run after the children exist, it does nothing. A child whose agent has retired,
 * or whose reservation the ledger refuses, rejects the parent saying why (the reservations made
 * are released when it ends). A parent that ended meanwhile gets its children canceled, which
 * voids their reservations.
 */
export async function spawnChildren(
  deps: DelegationDeps,
  { scope, parent, agent, plan }: { scope: TaskScope; parent: Task; agent: Agent; plan: Plan },
): Promise<void> {
  const { sql, lifecycle } = deps;
  // A retry after the children were recorded: nothing to reserve or write again.
  if (await hasChildren(sql, parent.id)) return;
  const deadline =
    (await deadlineOf(sql, parent.id)) ?? new Date(Date.now() + FALLBACK_DEADLINE_MS);
  const agents = await Promise.all(
    plan.subtasks.map((subtask) => findAgent(sql, subtask.agent_id)),
  );
  const children: { child: Agent | undefined; id: string; reservation: Reservation }[] = [];
  for (const [position, child] of agents.entries()) {
    const id = childTaskIdOf(parent.id, position);
    const subtask = plan.subtasks[position] as Plan['subtasks'][number];
    const reservation: Reservation =
      child?.status === 'active'
        ? await reserveBudget(deps, {
            parent: agent,
            child,
            childTaskId: id,
            budgetAia: subtask.budget_aia,
            deadline,
          })
        : { reserved: false, reason: `agent ${subtask.agent_id} is not active` };
    children.push({ child, id, reservation });
  }
  // All or nothing: a child that cannot be funded rejects the task; the reservations made are
  // released by the task's end (`release`).
  const refusals = children.flatMap(({ reservation }) =>
    reservation.reserved ? [] : [reservation.reason],
  );
  if (refusals.length > 0) {
    const reason = `cannot delegate: ${[...new Set(refusals)].join('; ')}`;
    await lifecycle.save(scope, withState(parent, TaskState.TASK_STATE_REJECTED, reason));
    return;
  }
  await inTransaction(sql, async (tx) => {
    const [row] = await tx<{ state: string }[]>`
      select state from a2a_tasks where id = ${parent.id} for update`;
    const [done] =
      await tx`select 1 from task_delegations where parent_task_id = ${parent.id} limit 1`;
    if (!row || done) return;
    const parentEnded = (TERMINAL_TASK_STATES as readonly string[]).includes(row.state);
    const ends: (() => Promise<boolean>)[] = [];
    for (const [position, { child, id, reservation }] of children.entries()) {
      const subtask = plan.subtasks[position];
      if (!subtask) continue;
      const childAgentId = child?.id ?? subtask.agent_id;
      const childScope = { ...scope, agentId: childAgentId };
      const task = childTask(parent, {
        id,
        delegatedBy: agent.id,
        budgetAia: subtask.budget_aia,
        request: subtask.request,
      });
      await new PostgresTaskStore(tx, { agentId: childAgentId }).save(
        task,
        ownerContext(childScope),
      );
      await setDeadline(tx, id, deadline);
      await insertDelegation(tx, {
        child_task_id: id,
        parent_task_id: parent.id,
        position,
        parent_agent_id: agent.id,
        child_agent_id: childAgentId,
        budget_aia: subtask.budget_aia,
        reservation_id: reservation.reserved ? reservation.id : null,
      });
      if (child) await writeTaskRecorded(tx, id, child, { taskId: parent.id, agentId: agent.id });
      if (parentEnded)
        ends.push(() =>
          lifecycle.saveIn(
            tx,
            childScope,
            withState(
              task,
              TaskState.TASK_STATE_CANCELED,
              `the parent task ${parent.id} ended first`,
            ),
          ),
        );
      else if (child)
        await lifecycle.queue.enqueue(tx, id, 'run', {
          id: child.id,
          concurrency: child.limits.concurrency,
        });
    }
    // Ended after all are recorded, so the last one's end wakes the parent once.
    for (const end of ends) await end();
  });
}
