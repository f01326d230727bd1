import { Artifact, Message, type Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import { TERMINAL_TASK_STATES } from '../repository/task-store.js';

/** Whether a task's state is one it never leaves. */
export const isTerminal = (state: TaskState | undefined): boolean =>
  (TERMINAL_TASK_STATES as readonly string[]).includes(
    taskStateToJSON(state ?? TaskState.TASK_STATE_UNSPECIFIED),
  );

/** States a task waits in for its sender: more input, or authentication. */
export const INTERRUPTED_STATES: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_AUTH_REQUIRED,
]);

/** Whether a task waits for its sender (input-required or auth-required). */
export const isInterrupted = (state: TaskState | undefined): boolean =>
  state !== undefined && INTERRUPTED_STATES.has(state);

/** The text parts of a task's status message, joined. */
export const statusTextOf = (task: Pick<Task, 'status'>): string =>
  (task.status?.message?.parts ?? [])
    .flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
    .join(' ')
    .trim();

/** An agent's message carrying `text`, for a status that says why. */
export const agentMessage = (task: Pick<Task, 'id' | 'contextId'>, text: string): Message =>
  Message.fromJSON({
    messageId: crypto.randomUUID(),
    role: 'ROLE_AGENT',
    taskId: task.id,
    contextId: task.contextId,
    parts: [{ text }],
  });

/** `task` moved to `state` now, with an optional agent message saying why. */
export function withState(task: Task, state: TaskState, reason?: string): Task {
  return {
    ...task,
    status: {
      state,
      message: reason === undefined ? undefined : agentMessage(task, reason),
      timestamp: new Date().toISOString(),
    },
  };
}

/** A text artifact, the answer of an LLM run. */
export const textArtifact = (text: string): Artifact =>
  Artifact.fromJSON({
    artifactId: crypto.randomUUID(),
    name: 'answer',
    parts: [{ text, mediaType: 'text/plain' }],
  });

/** A JSON artifact named `name`: a tool's structured answer. */
export const dataArtifact = (name: string, data: unknown): Artifact =>
  Artifact.fromJSON({
    artifactId: crypto.randomUUID(),
    name,
    parts: [{ data, mediaType: 'application/json' }],
  });
