import { type Task, TaskState } from '@a2a-js/sdk';
import { type AgentProgressRecord, PROGRESS_STATES } from '../../events/schemas/agent-progress.js';
import type { AgentRunRecord } from '../../events/schemas/agent-runs.js';
import { uuid } from '../../events/schemas/fields.js';
import type { Database } from '../../platform/db.js';
import { writeEvent } from '../../platform/events/index.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import type { Agent } from '../domain/agent.js';

const producer = 'agent-orchestrator';

/** `aia.agents.tasks.v1`: task `taskId` was recorded for `agent`, by a sender or a parent task. */
export async function writeTaskRecorded(
  tx: Database,
  taskId: string,
  agent: Pick<Agent, 'id' | 'skills'>,
  parent?: { readonly taskId: string; readonly agentId: string },
): Promise<void> {
  await writeEvent(
    tx,
    'aia.agents.tasks.v1',
    agent.id,
    {
      task_id: taskId,
      agent_id: agent.id,
      delegated_by: parent?.agentId ?? null,
      parent_task_id: parent?.taskId ?? null,
      skill: agent.skills[0]?.id ?? 'general',
      created_at: new Date().toISOString(),
    },
    { producer },
  );
}

/** `TASK_STATE_INPUT_REQUIRED` → `input-required`: the A2A state as the progress record names it. */
const progressStateOf = (state: string): string =>
  state
    .replace(/^TASK_STATE_/, '')
    .toLowerCase()
    .replaceAll('_', '-');

/**
 * `aia.agents.progress.v1`: task `taskId` of `agentId` went from `previous` to `state` (A2A
 * state names), written in `tx`, the transaction that saved the change. Its parent is read from
 * the delegations. Nothing is written for a state the record does not carry.
 */
export async function writeTaskProgress(
  tx: Database,
  change: { taskId: string; agentId: string; previous: string; state: string },
): Promise<void> {
  const state = progressStateOf(change.state);
  const previous = progressStateOf(change.previous);
  if (!(PROGRESS_STATES as readonly string[]).includes(state) || state === previous) return;
  const [delegation] = await tx<{ parent_task_id: string }[]>`
    select parent_task_id from task_delegations where child_task_id = ${change.taskId}`;
  await writeEvent(
    tx,
    'aia.agents.progress.v1',
    change.taskId,
    {
      task_id: change.taskId,
      agent_id: change.agentId,
      parent_task_id: delegation?.parent_task_id ?? null,
      state: state as AgentProgressRecord['state'],
      previous_state: previous as AgentProgressRecord['previous_state'],
      at: new Date().toISOString(),
    },
    { producer },
  );
}

const ENDS = {
  [TaskState.TASK_STATE_COMPLETED]: ['succeeded', 'completed'],
  [TaskState.TASK_STATE_FAILED]: ['failed', 'failed'],
  [TaskState.TASK_STATE_REJECTED]: ['failed', 'rejected'],
  [TaskState.TASK_STATE_CANCELED]: ['cancelled', 'canceled'],
} as const satisfies Partial<
  Record<TaskState, readonly [AgentRunRecord['outcome'], AgentRunRecord['state']]>
>;

/** What a finished task says about its run, in the `aia.agents.runs.v1` record's terms. */
export interface RunFacts {
  readonly agentId: string;
  readonly createdAt: Date;
  readonly parentTaskId: string | null;
  readonly children: number;
  readonly failedChildren: number;
}

/** Longest skill or task type name a run record carries (the record's limit). */
const MAX_EVIDENCE_NAME = 200;

const nameIn = (value: unknown): string | undefined => {
  const text = typeof value === 'string' ? value.trim() : '';
  return text.length > 0 && text.length <= MAX_EVIDENCE_NAME ? text : undefined;
};

/**
 * What a run is evidence of, from the task's metadata: `skill` (else the agent's first card
 * skill, or `general`, as `writeTaskRecorded` says), `strategy` (a DKG strategy entry id),
 * `taskType` and `quality` (0..1, from an evaluation). A value of the wrong shape is left out
 * rather than refused: the task has ended, and its record must be written.
 */
async function evidenceOf(
  tx: Database,
  metadata: Record<string, unknown>,
  agentId: string,
): Promise<Pick<AgentRunRecord, 'skill' | 'strategy' | 'task_type' | 'quality'>> {
  let skill = nameIn(metadata.skill);
  if (skill === undefined) {
    const [agent] = await tx<{ skill: string | null }[]>`
      select skills -> 0 ->> 'id' as skill from agents where id = ${agentId}`;
    skill = agent?.skill ?? 'general';
  }
  const { strategy, taskType, quality } = metadata;
  return {
    skill,
    ...(uuid.safeParse(strategy).success && { strategy: String(strategy).toLowerCase() }),
    ...(nameIn(taskType) !== undefined && { task_type: nameIn(taskType) }),
    ...(typeof quality === 'number' && quality >= 0 && quality <= 1 && { quality }),
  };
}

/** `aia.agents.runs.v1`: `task` ended; one record per task (its run id derives from the task's). */
export async function writeRunFinished(tx: Database, task: Task, facts: RunFacts): Promise<void> {
  const state = task.status?.state as keyof typeof ENDS;
  const [outcome, end] = ENDS[state];
  const metadata = task.metadata ?? {};
  const model = metadata.model as { provider?: string; model?: string } | undefined;
  const usage = metadata.usage as { input?: number; output?: number } | undefined;
  const cost = (metadata.cost as { aia?: string } | undefined)?.aia;
  const finishedAt = new Date();
  await writeEvent(
    tx,
    'aia.agents.runs.v1',
    facts.agentId,
    {
      run_id: nameBasedUuid(`run:${task.id}`),
      agent_id: facts.agentId,
      task_id: task.id,
      outcome,
      state: end,
      cost: cost ?? '0',
      duration_ms: Math.max(0, finishedAt.getTime() - facts.createdAt.getTime()),
      finished_at: finishedAt.toISOString(),
      parent_task_id: facts.parentTaskId,
      ...(model?.provider && model.model && { model: `${model.provider}/${model.model}` }),
      ...(usage?.input !== undefined &&
        usage.output !== undefined && { tokens: { input: usage.input, output: usage.output } }),
      children: facts.children,
      failed_children: facts.failedChildren,
      ...(await evidenceOf(tx, metadata, facts.agentId)),
    },
    { producer },
  );
}
