import { TaskState } from '@a2a-js/sdk';
import type { LeaderWorker } from '../../platform/workers.js';
import { overdueTasks } from '../repository/delegations.js';
import { findTaskScope, ownerContext } from '../repository/task-runs.js';
import { PostgresTaskStore } from '../repository/task-store.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import { isTerminal } from './task-states.js';

/** Overdue tasks ended per run; a full batch runs again at once. */
const BATCH = 100;

/**
 * Fails the tasks still unfinished at their deadline, on one replica: each through the
 * lifecycle, so its run stops, its unfinished children follow, and its reservation is voided.
 */
export const deadlineWorker = ({
  lifecycle,
  failed,
  intervalMs = 15_000,
}: {
  lifecycle: TaskLifecycle;
  /** Called once per task this worker failed (for `agent_runs_total{outcome="failed"}`). */
  failed: () => void;
  intervalMs?: number;
}): LeaderWorker => ({
  name: 'task-deadlines',
  intervalMs,
  leader: { sql: lifecycle.sql, lock: 'aia:agent-orchestrator:task-deadlines' },
  run: async (_tx, signal) => {
    const { sql } = lifecycle;
    const overdue = await overdueTasks(sql, BATCH);
    for (const id of overdue) {
      if (signal.aborted) return 'idle';
      const scope = await findTaskScope(sql, id);
      if (!scope) continue;
      const task = await new PostgresTaskStore(sql, { agentId: scope.agentId }).load(
        id,
        ownerContext(scope),
      );
      if (!task || isTerminal(task.status?.state)) continue;
      const reason = 'the task passed its deadline';
      if (await lifecycle.stop(scope, task, TaskState.TASK_STATE_FAILED, reason)) failed();
    }
    return overdue.length === BATCH ? 'more' : 'idle';
  },
});
