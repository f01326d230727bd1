import type { Task } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import type { Database } from '../../platform/db.js';
import { inTransaction } from '../../platform/transactions.js';
import { PostgresTaskStore, TERMINAL_TASK_STATES } from './task-store.js';

/** Whose a task is: what a worker needs to read and write it through the scoped store. */
export interface TaskScope {
  readonly tenant: string;
  readonly owner: string;
  readonly agentId: string;
}

/** The scope of task `id`, or undefined when it is missing or serves no registered agent. */
export async function findTaskScope(sql: Database, id: string): Promise<TaskScope | undefined> {
  const [row] = await sql<{ tenant: string; owner: string; agent_id: string | null }[]>`
    select tenant, owner, agent_id from a2a_tasks where id = ${id}`;
  if (!row?.agent_id) return undefined;
  return { tenant: row.tenant, owner: row.owner, agentId: row.agent_id };
}

/** A call context as the task's owner, so the scoped store reads and writes it. */
export const ownerContext = ({ tenant, owner }: TaskScope): ServerCallContext =>
  new ServerCallContext({ tenant, user: { isAuthenticated: true, userName: owner } });

/**
 * Saves `task` if it has not finished yet, under the row's lock: of two workers (a stale one and
 * the one that took its job back), or a worker and a cancel, exactly one moves the task to a
 * terminal state. False when it had finished already (the save is dropped).
 */
export async function saveUnlessFinished(
  sql: Database,
  scope: TaskScope,
  task: Task,
): Promise<boolean> {
  return inTransaction(sql, async (tx) => {
    const [row] = await tx<{ state: string }[]>`
      select state from a2a_tasks where id = ${task.id} for update`;
    if (!row || (TERMINAL_TASK_STATES as readonly string[]).includes(row.state)) return false;
    await new PostgresTaskStore(tx, { agentId: scope.agentId }).save(task, ownerContext(scope));
    return true;
  });
}
