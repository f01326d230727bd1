import { type Message, type Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import type { Database } from '../../platform/db.js';
import { inTransaction } from '../../platform/transactions.js';
import {
  delegationOf,
  hasChildren,
  hasOpenChildren,
  recordChildEnd,
  replacedCount,
} from '../repository/delegations.js';
import { findTaskScope, ownerContext, type TaskScope } from '../repository/task-runs.js';
import { PostgresTaskStore, TERMINAL_TASK_STATES } from '../repository/task-store.js';
import type { Plan } from './delegation/plan.js';
import { unrecordedIntents } from './delegation/release.js';
import {
  askingTaskOf,
  type ChildState,
  forwardedTo,
  parentGiven,
  resumedTask,
  roundOf,
} from './resume-task.js';
import type { RunQueue } from './run-queue.js';
import { writeRunFinished, writeTaskProgress } from './task-events.js';
import { INTERRUPTED_STATES, isInterrupted, isTerminal, withState } from './task-states.js';

/** What a continuing message did: resumed the task, was received already, or found it not waiting. */
export type ResumeOutcome = 'resumed' | 'duplicate' | 'not-waiting';

const INTERRUPTED_NAMES: ReadonlySet<string> = new Set(
  [...INTERRUPTED_STATES].map((state) => taskStateToJSON(state)),
);

/**
 * Every change of a task's state goes through here, so that what must follow a task's end
 * happens in the transaction that ends it, exactly once: a child's end is recorded (the last
 * child wakes its parent's `combine`; a reservation gets its `settle` job), a task that ends
 * other than completed takes its unfinished children with it (`cascade`), and the run's
 * `aia.agents.runs.v1` event is written.
 */
export class TaskLifecycle {
  constructor(
    readonly sql: Database,
    readonly queue: RunQueue,
  ) {}

  /**
   * Saves `task` unless it has finished, under the row's lock: of two workers (a stale one and
   * the one that took its job back), or a worker and a cancel, exactly one moves the task to a
   * terminal state. False when it had finished already (nothing is saved).
   */
  save(scope: TaskScope, task: Task): Promise<boolean> {
    return inTransaction(this.sql, (tx) => this.saveIn(tx, scope, task));
  }

  /**
   * {@link save} inside the caller's transaction. A delegation plan recorded on the task is kept
   * when `task` is an older copy without it (a cancel or a deadline saving what it read).
   */
  async saveIn(tx: Database, scope: TaskScope, task: Task): Promise<boolean> {
    const [row] = await tx<
      { state: string; created_at: Date; delegation: unknown; round: number | null }[]
    >`
      select state, created_at, metadata -> 'delegation' as delegation,
             (metadata ->> 'input_round')::int as round
      from a2a_tasks where id = ${task.id} for update`;
    if (row && (TERMINAL_TASK_STATES as readonly string[]).includes(row.state)) return false;
    // A copy from before a resume (an older round) would undo it: refused like a finished task.
    if (row && roundOf(task) < (row.round ?? 0)) return false;
    // What the stored delegation holds and the copy lacks (its plan, reassignments recorded
    // since the copy was read) is kept: those are only ever added.
    const saved: Task =
      row?.delegation && typeof row.delegation === 'object'
        ? {
            ...task,
            metadata: {
              ...task.metadata,
              delegation: {
                ...(row.delegation as Record<string, unknown>),
                ...((task.metadata?.delegation as Record<string, unknown> | undefined) ?? {}),
              },
            },
          }
        : task;
    await new PostgresTaskStore(tx, { agentId: scope.agentId }).save(saved, ownerContext(scope));
    await writeTaskProgress(tx, {
      taskId: saved.id,
      agentId: scope.agentId,
      previous: row?.state ?? 'TASK_STATE_SUBMITTED',
      state: taskStateToJSON(saved.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED),
    });
    if (isTerminal(saved.status?.state))
      await this.ended(tx, scope, saved, row?.created_at ?? new Date(), row?.state);
    // A child that starts or stops waiting for input takes its parent (and theirs) along.
    if (isInterrupted(saved.status?.state) || INTERRUPTED_NAMES.has(row?.state ?? ''))
      await this.refreshParent(tx, saved.id);
    return true;
  }

  /**
   * Continues `taskId`, which waits for its sender, with `message`: recorded in its history and
   * passed down to the task that asked (itself, or a descendant whose question came up through
   * the tree), which goes working with a new round's run job; its ancestors go working when no
   * other child waits. `duplicate` when the message was received already (a retried send).
   */
  resume(scope: TaskScope, taskId: string, message: Message): Promise<ResumeOutcome> {
    return inTransaction(this.sql, async (tx) => {
      const store = new PostgresTaskStore(tx, { agentId: scope.agentId });
      await tx`select 1 from a2a_tasks where id = ${taskId} for update`;
      const task = await store.load(taskId, ownerContext(scope));
      if (!task) return 'not-waiting';
      if (task.history.some((said) => said.messageId === message.messageId)) return 'duplicate';
      if (!isInterrupted(task.status?.state)) return 'not-waiting';
      const askingId = askingTaskOf(task);
      if (askingId === task.id) {
        await this.resumeAsking(tx, scope, resumedTask(task, message));
        return 'resumed';
      }
      const askingScope = await findTaskScope(tx, askingId);
      const asking =
        askingScope &&
        (await new PostgresTaskStore(tx, { agentId: askingScope.agentId }).load(
          askingId,
          ownerContext(askingScope),
        ));
      if (!askingScope || !asking || !isInterrupted(asking.status?.state)) return 'not-waiting';
      await store.save({ ...task, history: [...task.history, message] }, ownerContext(scope));
      await this.resumeAsking(tx, askingScope, resumedTask(asking, forwardedTo(asking, message)));
      return 'resumed';
    });
  }

  private async resumeAsking(tx: Database, scope: TaskScope, resumed: Task): Promise<void> {
    await this.saveIn(tx, scope, resumed);
    const [agent] = await tx<{ concurrency: number }[]>`
      select (limits->>'concurrency')::int as concurrency from agents where id = ${scope.agentId}`;
    await this.queue.enqueue(
      tx,
      resumed.id,
      'run',
      { id: scope.agentId, concurrency: agent?.concurrency ?? 1 },
      roundOf(resumed),
    );
  }

  /**
   * The parent of child `childId` (if it has one that has not ended) as its children now are:
   * waiting on the first child that waits, else working again if it was waiting.
   */
  private async refreshParent(tx: Database, childId: string): Promise<void> {
    const delegation = await delegationOf(tx, childId);
    if (!delegation) return;
    const parentScope = await findTaskScope(tx, delegation.parent_task_id);
    if (!parentScope) return;
    const parent = await new PostgresTaskStore(tx, { agentId: parentScope.agentId }).load(
      delegation.parent_task_id,
      ownerContext(parentScope),
    );
    if (!parent || isTerminal(parent.status?.state)) return;
    const [waiting] = await tx<{ id: string; agent_id: string }[]>`
      select t.id, d.child_agent_id as agent_id
      from task_delegations d join a2a_tasks t on t.id = d.child_task_id
      where d.parent_task_id = ${parent.id} and t.state = any(${[...INTERRUPTED_NAMES]}::text[])
      order by d.position limit 1`;
    let child: ChildState | undefined;
    if (waiting) {
      const childScope = await findTaskScope(tx, waiting.id);
      const task =
        childScope &&
        (await new PostgresTaskStore(tx, { agentId: childScope.agentId }).load(
          waiting.id,
          ownerContext(childScope),
        ));
      if (task) child = { task, agentId: waiting.agent_id };
    }
    const next = parentGiven(parent, child);
    if (next) await this.saveIn(tx, parentScope, next);
  }

  /**
   * Records `plan` on task `taskId` unless a plan is there already (a stale attempt that planned
   * too): the first plan wins and is answered, so every attempt follows one plan. Undefined when
   * the task has ended.
   */
  recordPlan(taskId: string, plan: Plan): Promise<Plan | undefined> {
    return inTransaction(this.sql, async (tx) => {
      const [row] = await tx<{ state: string; plan: Plan | null }[]>`
        select state, metadata #> '{delegation,plan}' as plan
        from a2a_tasks where id = ${taskId} for update`;
      if (!row || (TERMINAL_TASK_STATES as readonly string[]).includes(row.state)) return undefined;
      if (row.plan) return row.plan;
      await tx`
        update a2a_tasks
        set metadata = jsonb_set(metadata, '{delegation}', ${tx.json({ plan } as never)}),
            updated_at = now()
        where id = ${taskId}`;
      return plan;
    });
  }

  /**
   * Cancels `task`: its queued run never starts, a running attempt's signal aborts, and the
   * task moves to canceled (its children follow). False when it had finished already.
   */
  cancel(scope: TaskScope, task: Task, reason: string): Promise<boolean> {
    return this.stop(scope, task, TaskState.TASK_STATE_CANCELED, reason);
  }

  /**
   * Ends `task` in `state` from outside its run (a cancel, a deadline), then stops its jobs. The
   * task is read again under its row lock and only its state changes: a caller's copy may be
   * older than a resume that happened meanwhile (its message, its round).
   */
  async stop(
    scope: TaskScope,
    task: Task,
    state: TaskState.TASK_STATE_CANCELED | TaskState.TASK_STATE_FAILED,
    reason: string,
  ): Promise<boolean> {
    // Ended first, then the jobs stopped: a running attempt sees why it was aborted (the
    // remote runtime cancels its remote task only for a task that ended here).
    const ended = await inTransaction(this.sql, async (tx) => {
      await tx`select 1 from a2a_tasks where id = ${task.id} for update`;
      const now = await new PostgresTaskStore(tx, { agentId: scope.agentId }).load(
        task.id,
        ownerContext(scope),
      );
      if (!now) return undefined;
      return (await this.saveIn(tx, scope, withState(now, state, reason))) ? now : undefined;
    });
    const latest = ended ?? task;
    await this.queue.cancel(task.id, {
      run: roundOf(latest),
      combine: await replacedCount(this.sql, task.id),
    });
    return ended !== undefined;
  }

  private async ended(
    tx: Database,
    scope: TaskScope,
    task: Task,
    createdAt: Date,
    before: string | undefined,
  ) {
    // It ended while a remote agent's task waited for its answer: no attempt is running to
    // cancel that remote task on its way out, so a job of its own does.
    const remote = task.metadata?.remote as { task_id?: unknown } | undefined;
    if (INTERRUPTED_NAMES.has(before ?? '') && typeof remote?.task_id === 'string')
      await this.queue.enqueue(tx, task.id, 'cancel-remote');
    const end = await recordChildEnd(tx, task.id);
    // Planned but no child recorded (it ended while spawning, or refused to): reservations the
    // attempt made are released.
    const planned = (task.metadata?.delegation as { plan?: Plan } | undefined)?.plan;
    // So are those of replacements chosen but never recorded as children (reassign.ts).
    const unrecorded = await unrecordedIntents(tx, task);
    if (
      (planned && planned.subtasks.length > 0 && !(await hasChildren(tx, task.id))) ||
      unrecorded.length > 0
    )
      await this.queue.enqueue(tx, task.id, 'release');
    if (end?.delegation.reservation_id) await this.queue.enqueue(tx, task.id, 'settle');
    if (end?.last) {
      const [manager] = await tx<{ concurrency: number }[]>`
        select (limits->>'concurrency')::int as concurrency from agents
        where id = ${end.delegation.parent_agent_id}`;
      // Each round of replacements (children retried elsewhere) ends in a combine of its own.
      await this.queue.enqueue(
        tx,
        end.delegation.parent_task_id,
        'combine',
        { id: end.delegation.parent_agent_id, concurrency: manager?.concurrency ?? 1 },
        await replacedCount(tx, end.delegation.parent_task_id),
      );
    }
    if (
      task.status?.state !== TaskState.TASK_STATE_COMPLETED &&
      (await hasOpenChildren(tx, task.id))
    )
      await this.queue.enqueue(tx, task.id, 'cascade');
    const [counts] = await tx<{ children: number; failed: number }[]>`
      select count(*)::int as children,
             count(*) filter (where t.state <> 'TASK_STATE_COMPLETED')::int as failed
      from task_delegations d join a2a_tasks t on t.id = d.child_task_id
      where d.parent_task_id = ${task.id}`;
    await writeRunFinished(tx, task, {
      agentId: scope.agentId,
      createdAt,
      parentTaskId: end?.delegation.parent_task_id ?? null,
      children: counts?.children ?? 0,
      failedChildren: counts?.failed ?? 0,
    });
  }
}
