import { type Message, Role, type Task, TaskState } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import type { Llm } from '../../platform/llm/types.js';
import { findAgent } from '../repository/agent-store.js';
import {
  findTaskScope,
  ownerContext,
  saveUnlessFinished,
  type TaskScope,
} from '../repository/task-runs.js';
import { PostgresTaskStore } from '../repository/task-store.js';
import type { HeldRun } from './run-queue.js';
import { isTerminal, textArtifact, withState } from './task-states.js';

/** What a run ends as, for `agent_runs_total{outcome}`. */
export type RunOutcome = 'succeeded' | 'failed';

export interface RunTaskDeps {
  readonly sql: Database;
  readonly llm: Llm;
  readonly logger: Logger;
  /** Called once per run that finished the task (never for a stale or canceled attempt). */
  readonly finished: (outcome: RunOutcome) => void;
}

/**
 * One attempt at a task's run, as a pg-boss worker holds it: the task goes working, the agent's
 * runtime answers, and the task goes completed (a text artifact, the model's cost in
 * `metadata.cost.aia`) or, on the last attempt, failed. Earlier failed attempts throw so pg-boss
 * retries them with backoff. An attempt whose task finished meanwhile (canceled, or completed by
 * the attempt that took its job back) changes nothing.
 */
export async function runTask(deps: RunTaskDeps, held: HeldRun): Promise<void> {
  const { sql, llm, logger } = deps;
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
  const { runtime } = agent;
  if (runtime.kind !== 'llm') {
    const reason = `the ${runtime.kind} runtime does not run tasks yet`;
    await saveUnlessFinished(sql, scope, withState(task, TaskState.TASK_STATE_REJECTED, reason));
    return;
  }
  if (!(await saveUnlessFinished(sql, scope, withState(task, TaskState.TASK_STATE_WORKING))))
    return;
  let answer: Awaited<ReturnType<Llm['generateText']>>;
  try {
    answer = await llm.generateText({
      class: runtime.model_class,
      system: runtime.instructions,
      prompt: promptOf(task.history),
      signal: held.signal,
    });
  } catch (error) {
    if (held.signal.aborted) return;
    log.warn({ err: error, last: held.last }, 'agent run failed');
    if (!held.last) throw error;
    const reason = `the model call failed: ${(error as Error).message}`;
    await finish(deps, scope, withState(task, TaskState.TASK_STATE_FAILED, reason), 'failed');
    return;
  }
  if (held.signal.aborted) return;
  const completed: Task = {
    ...withState(task, TaskState.TASK_STATE_COMPLETED),
    artifacts: [textArtifact(answer.text)],
    metadata: {
      ...task.metadata,
      cost: { aia: answer.cost.aia },
      model: { provider: answer.provider, model: answer.model, local: answer.local },
    },
  };
  await finish(deps, scope, completed, 'succeeded');
}

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
