import { type Message, Role, type Task, TaskState } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import { BudgetExceededError, InvalidBudgetError } from '../../platform/llm/errors.js';
import { budgetOf } from '../domain/task-budget.js';
import { findAgent } from '../repository/agent-store.js';
import {
  findTaskScope,
  ownerContext,
  saveUnlessFinished,
  type TaskScope,
} from '../repository/task-runs.js';
import { PostgresTaskStore } from '../repository/task-store.js';
import type { HeldRun } from './run-queue.js';
import { RunRefused, type RuntimeDeps, runtimeOf } from './runtimes/index.js';
import type { RuntimeAnswer } from './runtimes/runtime.js';
import { isTerminal, withState } from './task-states.js';

/** What a run ends as, for `agent_runs_total{outcome}`. */
export type RunOutcome = 'succeeded' | 'failed';

export interface RunTaskDeps {
  readonly sql: Database;
  readonly runtimes: RuntimeDeps;
  readonly logger: Logger;
  /** Called once per run that finished the task (never for a stale or canceled attempt). */
  readonly finished: (outcome: RunOutcome) => void;
}

/**
 * One attempt at a task's run, as a pg-boss worker holds it: the task goes working, the agent's
 * runtime answers within the task's budget, and the task goes completed (the runtime's
 * artifacts, its cost in `metadata.cost.aia`) or failed (on the last attempt, or at once when a
 * retry cannot help). Earlier failed attempts throw so pg-boss
 * retries them with backoff. An attempt whose task finished meanwhile (canceled, or completed by
 * the attempt that took its job back) changes nothing.
 */
export async function runTask(deps: RunTaskDeps, held: HeldRun): Promise<void> {
  const { sql, logger } = deps;
  const scope = await findTaskScope(sql, held.taskId);
  if (!scope) return;
  const store = new PostgresTaskStore(sql, { agentId: scope.agentId });
  const task = await store.load(held.taskId, ownerContext(scope));
  if (!task || isTerminal(task.status?.state) || held.signal.aborted) return;
  const log = logger.child({ taskId: task.id, agentId: scope.agentId, attempt: held.attempt });
  const agent = await findAgent(sql, scope.agentId);
  if (agent?.status !== 'active') {
    await finish(
      deps,
      scope,
      withState(task, TaskState.TASK_STATE_FAILED, 'the agent was retired'),
      'failed',
    );
    return;
  }
  if (!(await saveUnlessFinished(sql, scope, withState(task, TaskState.TASK_STATE_WORKING))))
    return;
  let answer: RuntimeAnswer;
  try {
    answer = await runtimeOf(
      agent,
      deps.runtimes,
    )({
      task,
      agent,
      prompt: promptOf(task.history),
      budgetAia: budgetOf(task, agent),
      attempt: held.attempt,
      signal: held.signal,
      logger: log,
    });
  } catch (error) {
    if (held.signal.aborted) return;
    const final = held.last || isFinal(error);
    log.warn({ err: error, last: final }, 'agent run failed');
    if (!final) throw error;
    const reason = `the run failed: ${(error as Error).message}`;
    await finish(deps, scope, withState(task, TaskState.TASK_STATE_FAILED, reason), 'failed');
    return;
  }
  if (held.signal.aborted) return;
  const completed: Task = {
    ...withState(task, TaskState.TASK_STATE_COMPLETED),
    artifacts: answer.artifacts,
    metadata: { ...task.metadata, ...answer.metadata, cost: { aia: answer.costAia } },
  };
  await finish(deps, scope, completed, 'succeeded');
}

/** Failures a retry would meet again: refused by the runtime, or over the task's budget. */
const isFinal = (error: unknown): boolean =>
  error instanceof RunRefused ||
  error instanceof BudgetExceededError ||
  error instanceof InvalidBudgetError;

async function finish(deps: RunTaskDeps, scope: TaskScope, task: Task, outcome: RunOutcome) {
  if (await saveUnlessFinished(deps.sql, scope, task)) deps.finished(outcome);
}

/** The text parts of the task's user messages, in order: the model's prompt. */
function promptOf(history: readonly Message[]): string {
  return history
    .filter((message) => message.role === Role.ROLE_USER)
    .flatMap((message) => message.parts)
    .flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
    .join('\n\n');
}
