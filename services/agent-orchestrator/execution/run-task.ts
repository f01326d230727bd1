import { type Message, Role, type Task, TaskState } from '@a2a-js/sdk';
import type { Logger } from 'pino';
import type { Database } from '../../platform/db.js';
import { BudgetExceededError, InvalidBudgetError } from '../../platform/llm/errors.js';
import type { Agent } from '../domain/agent.js';
import { remainingAia, sumAia } from '../domain/budget-split.js';
import { budgetOf } from '../domain/task-budget.js';
import { findAgent } from '../repository/agent-store.js';
import { findTaskScope, ownerContext, type TaskScope } from '../repository/task-runs.js';
import { PostgresTaskStore, TERMINAL_TASK_STATES } from '../repository/task-store.js';
import { cascadeEnd } from './delegation/cascade.js';
import { combineChildren } from './delegation/combine.js';
import type { DelegationDeps } from './delegation/delegation-deps.js';
import { type Plan, planDelegation } from './delegation/plan.js';
import { reassignFailed } from './delegation/reassign.js';
import { releasePlan } from './delegation/release.js';
import { delegatesFor } from './delegation/roster.js';
import { settleReservation } from './delegation/settle.js';
import { spawnChildren } from './delegation/spawn-children.js';
import { resumeOf, roundOf } from './resume-task.js';
import type { HeldRun } from './run-queue.js';
import { inRunSpan } from './run-trace.js';
import { isQuestion, RunRefused, type RuntimeDeps, runtimeOf } from './runtimes/index.js';
import { cancelRemoteTask } from './runtimes/remote-runtime.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import { isInterrupted, isTerminal, withState } from './task-states.js';

/** What a run ends as, for `agent_runs_total{outcome}`. */
export type RunOutcome = 'succeeded' | 'failed';

export interface RunTaskDeps {
  readonly sql: Database;
  readonly lifecycle: TaskLifecycle;
  readonly runtimes: RuntimeDeps;
  readonly governor: DelegationDeps['governor'];
  /** MAX_DELEGATION_DEPTH: a task this many delegations below its root delegates no further. */
  readonly maxDepth: number;
  readonly logger: Logger;
  /** Called once per run that finished the task (never for a stale or canceled attempt). */
  readonly finished: (outcome: RunOutcome) => void;
}

/**
 * One attempt at one step of a task, as a pg-boss worker holds it. `run`: the task goes
 * working; an LLM agent with reports plans and delegates (its children run as tasks of their
 * own), any other answers through its runtime within the task's budget. `combine`: after the
 * last child ended, the parent's answer. `settle` and `cascade`: a child's reservation, and a
 * failed or canceled task's unfinished children. A failure is retried with backoff while
 * attempts remain (at once final when a retry cannot help); an attempt whose task finished
 * meanwhile changes nothing.
 */
export function runTask(deps: RunTaskDeps, held: HeldRun): Promise<void> {
  return inRunSpan(deps.sql, held, () => runStep(deps, held));
}

async function runStep(deps: RunTaskDeps, held: HeldRun): Promise<void> {
  const delegation = delegationDeps(deps);
  if (held.step === 'settle') return settleReservation(delegation, held.taskId);
  if (held.step === 'cascade') return cascadeEnd(delegation, held.taskId);
  if (held.step === 'release') return releasePlan(delegation, held.taskId);
  if (held.step === 'cancel-remote') return cancelRemoteOf(deps, held.taskId);
  const { sql, logger } = deps;
  const scope = await findTaskScope(sql, held.taskId);
  if (!scope) return;
  const task = await new PostgresTaskStore(sql, { agentId: scope.agentId }).load(
    held.taskId,
    ownerContext(scope),
  );
  // A task waiting for its sender is resumed by a new round's job (which finds it working): an
  // older round's job that comes back finds nothing to do.
  if (!task || isTerminal(task.status?.state) || held.signal.aborted) return;
  if (held.step === 'run' && (isInterrupted(task.status?.state) || held.round !== roundOf(task)))
    return;
  const log = logger.child({
    taskId: task.id,
    agentId: scope.agentId,
    step: held.step,
    attempt: held.attempt,
  });
  const agent = await findAgent(sql, scope.agentId);
  if (agent?.status !== 'active') {
    const failed = withState(task, TaskState.TASK_STATE_FAILED, 'the agent was retired');
    await finish(deps, scope, failed, 'failed');
    return;
  }
  const step = { deps, scope, task, agent, held, log, prompt: promptOf(task.history) };
  try {
    if (held.step === 'combine') return await combine(step);
    const working = { ...step, task: withState(task, TaskState.TASK_STATE_WORKING) };
    if (!(await deps.lifecycle.save(scope, working.task))) return;
    // Later saves start from the working task, so the task never goes back to submitted.
    const answering = await delegate(working);
    if (answering) await answer({ ...working, task: answering });
  } catch (error) {
    if (held.signal.aborted) return;
    const final = held.last || isFinal(error);
    log.warn({ err: error, last: final }, 'agent run failed');
    if (!final) throw error;
    const reason = `the run failed: ${(error as Error).message}`;
    await finish(deps, scope, withState(task, TaskState.TASK_STATE_FAILED, reason), 'failed');
  }
}

interface Step {
  readonly deps: RunTaskDeps;
  readonly scope: TaskScope;
  readonly task: Task;
  readonly agent: Agent;
  readonly held: HeldRun;
  readonly log: Logger;
  readonly prompt: string;
}

/**
 * The agent's runtime answers the task (within what is left of its budget after what the task
 * spent so far: planning, earlier rounds), or asks its sender: the task then waits in
 * input-required (or auth-required) with the question as its status, its parents with it.
 */
async function answer({ deps, scope, task, agent, held, log, prompt }: Step): Promise<void> {
  const spent = spentOf(task);
  const answered = await runtimeOf(
    agent,
    deps.runtimes,
  )({
    task,
    agent,
    prompt,
    budgetAia: remainingAia(budgetOf(task, agent), spent ?? '0'),
    attempt: held.attempt,
    signal: held.signal,
    ended: () => hasEnded(deps.sql, task.id),
    logger: log,
    resume: resumeOf(task),
  });
  if (held.signal.aborted) return;
  const metadata = {
    ...task.metadata,
    ...answered.metadata,
    cost: { aia: spent ? sumAia(spent, answered.costAia) : answered.costAia },
  };
  if (isQuestion(answered)) {
    const state =
      answered.state === 'auth-required'
        ? TaskState.TASK_STATE_AUTH_REQUIRED
        : TaskState.TASK_STATE_INPUT_REQUIRED;
    await deps.lifecycle.save(scope, { ...withState(task, state, answered.question), metadata });
    return;
  }
  const completed: Task = {
    ...withState(task, TaskState.TASK_STATE_COMPLETED),
    artifacts: answered.artifacts,
    metadata,
  };
  await finish(deps, scope, completed, 'succeeded');
}

/**
 * What the task has spent before this attempt, in AIA: its cost so far when an earlier round
 * asked its sender, else its plan's (a plan that gave nothing away cost something too).
 */
const spentOf = (task: Task): string | undefined =>
  (task.metadata?.cost as { aia?: string } | undefined)?.aia ?? planOf(task)?.cost_aia;

/** The remote task an ended task of a remote agent was waiting on, canceled. */
async function cancelRemoteOf(deps: RunTaskDeps, taskId: string): Promise<void> {
  const scope = await findTaskScope(deps.sql, taskId);
  if (!scope) return;
  const task = await new PostgresTaskStore(deps.sql, { agentId: scope.agentId }).load(
    taskId,
    ownerContext(scope),
  );
  const agent = await findAgent(deps.sql, scope.agentId);
  if (!task || agent?.runtime.kind !== 'remote') return;
  await cancelRemoteTask(deps.runtimes, agent.runtime, task, deps.logger.child({ taskId }));
}

/** Whether task `id` is in a terminal state now. */
async function hasEnded(sql: Database, id: string): Promise<boolean> {
  const [row] = await sql<{ state: string }[]>`select state from a2a_tasks where id = ${id}`;
  return (TERMINAL_TASK_STATES as readonly string[]).includes(row?.state ?? '');
}

/** The plan recorded on the task by an earlier attempt, if any. */
const planOf = (task: Task): Plan | undefined =>
  (task.metadata?.delegation as { plan?: Plan } | undefined)?.plan;

/**
 * An LLM agent with active reports plans (once: the plan is saved on the task before any child
 * exists, so a retry follows the same plan) and, when the plan gives parts away, creates the
 * children and returns undefined: the task stays working until the last child's end enqueues
 * `combine`. When the agent answers itself (no reports, or an empty plan): the task to answer,
 * with the plan (and so its cost) on it.
 */
async function delegate(step: Step): Promise<Task | undefined> {
  const { deps, scope, agent, held, prompt } = step;
  if (agent.runtime.kind !== 'llm') return step.task;
  let task = step.task;
  let plan = planOf(task);
  if (!plan) {
    const reports = await delegatesFor(deps.sql, agent, task, deps.maxDepth, {
      dkg: deps.runtimes.dkg,
      logger: step.log,
    });
    if (reports.length === 0) return task;
    const planned = await planDelegation(
      deps.runtimes.llm,
      { ...agent, runtime: agent.runtime },
      reports,
      prompt,
      budgetOf(task, agent),
      held.signal,
    );
    if (held.signal.aborted) return undefined;
    // The first plan recorded wins: a stale attempt that planned too follows it.
    plan = await deps.lifecycle.recordPlan(task.id, planned);
    if (!plan) return undefined;
    task = { ...task, metadata: { ...task.metadata, delegation: { plan } } };
  }
  if (plan.subtasks.length === 0) return task;
  await spawnChildren(delegationDeps(deps), { scope, parent: task, agent, plan });
  return undefined;
}

/**
 * After the last child ended: a failed child's subtask given to another agent when one can take
 * it (the parent then waits for it), else the parent's answer from theirs, or its failure naming
 * them.
 */
async function combine({ deps, scope, task, agent, held, prompt }: Step): Promise<void> {
  const retried = await reassignFailed(
    { ...delegationDeps(deps), maxDepth: deps.maxDepth, dkg: deps.runtimes.dkg },
    { scope, parent: task, agent },
  );
  if (retried || held.signal.aborted) return;
  const combined = await combineChildren(delegationDeps(deps), {
    parent: task,
    agent,
    prompt,
    signal: held.signal,
  });
  if (held.signal.aborted) return;
  await finish(deps, scope, combined.task, combined.outcome);
}

async function finish(deps: RunTaskDeps, scope: TaskScope, task: Task, outcome: RunOutcome) {
  if (await deps.lifecycle.save(scope, task)) deps.finished(outcome);
}

/** Failures a retry would meet again: refused by the runtime, or over the task's budget. */
const isFinal = (error: unknown): boolean =>
  error instanceof RunRefused ||
  error instanceof BudgetExceededError ||
  error instanceof InvalidBudgetError;

const delegationDeps = (deps: RunTaskDeps): DelegationDeps => ({
  sql: deps.sql,
  lifecycle: deps.lifecycle,
  llm: deps.runtimes.llm,
  governor: deps.governor,
  logger: deps.logger,
});

/** The text parts of the task's user messages, in order: the model's prompt. */
function promptOf(history: readonly Message[]): string {
  return history
    .filter((message) => message.role === Role.ROLE_USER)
    .flatMap((message) => message.parts)
    .flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
    .join('\n\n');
}
