import { childrenOf } from '../../repository/delegations.js';
import { findTaskScope, ownerContext } from '../../repository/task-runs.js';
import { PostgresTaskStore } from '../../repository/task-store.js';
import { isTerminal } from '../task-states.js';
import type { DelegationDeps } from './delegation-deps.js';

/**
 * Cancels the unfinished children of task `taskId`, which ended other than completed: each goes
 * through the lifecycle, so its own children follow and its reservation is voided.
 */
export async function cascadeEnd(deps: DelegationDeps, taskId: string): Promise<void> {
  const children = await childrenOf(deps.sql, taskId);
  for (const child of children) {
    const scope = await findTaskScope(deps.sql, child.child_task_id);
    if (!scope) continue;
    const task = await new PostgresTaskStore(deps.sql, { agentId: scope.agentId }).load(
      child.child_task_id,
      ownerContext(scope),
    );
    if (!task || isTerminal(task.status?.state)) continue;
    await deps.lifecycle.cancel(scope, task, `its parent task ${taskId} ended without completing`);
  }
}
