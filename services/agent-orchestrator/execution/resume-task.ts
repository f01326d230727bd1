import { type Message, type Task, TaskState } from '@a2a-js/sdk';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import type { ResumeMessage } from './runtimes/runtime.js';
import { isInterrupted, statusTextOf, withState } from './task-states.js';

/**
 * Where a task waiting for its sender waits: the task down its delegation tree that asked (a
 * parent waits on its children's question), as recorded on the waiting parent.
 */
export interface AwaitingInput {
  /** The task that asked, at the bottom of the tree: the sender's answer goes there. */
  readonly task_id: string;
  /** The child through which the question came up (the asking task itself for its parent). */
  readonly child_task_id: string;
}

/** The task a waiting `task` waits on: itself, unless the question came from below. */
export const askingTaskOf = (task: Task): string =>
  (task.metadata?.awaiting_input as AwaitingInput | undefined)?.task_id ?? task.id;

/** How many times the task was resumed: its run of round n has its own job. */
export const roundOf = (task: Task): number => {
  const round = task.metadata?.input_round;
  return typeof round === 'number' ? round : 0;
};

/** The message that resumed the task, for its runtime (the remote runtime sends it on). */
export function resumeOf(task: Task): ResumeMessage | undefined {
  const resume = task.metadata?.resume as { message_id?: unknown; text?: unknown } | undefined;
  return typeof resume?.message_id === 'string' && typeof resume.text === 'string'
    ? { messageId: resume.message_id, text: resume.text }
    : undefined;
}

/** The text parts of a message, joined. */
export const messageText = (message: Message): string =>
  message.parts
    .flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
    .join('\n');

/**
 * The message as the asking task `asking` receives it when it came to an ancestor: its own id
 * (derived from both, so a retry forwards the same message) and the asking task's ids.
 */
export const forwardedTo = (asking: Pick<Task, 'id' | 'contextId'>, message: Message): Message => ({
  ...message,
  messageId: nameBasedUuid(`forward:${asking.id}:${message.messageId}`),
  taskId: asking.id,
  contextId: asking.contextId,
});

/**
 * The asking task resumed with `message`: working again, the message in its history, the text
 * its runtime gets, and the next round (whose run job is new).
 */
export function resumedTask(asking: Task, message: Message): Task {
  return {
    ...withState(asking, TaskState.TASK_STATE_WORKING),
    history: [...asking.history, message],
    metadata: {
      ...asking.metadata,
      resume: { message_id: message.messageId, text: messageText(message) },
      input_round: roundOf(asking) + 1,
    },
  };
}

/** A child as the parent sees it while deciding whether it waits on one. */
export interface ChildState {
  readonly task: Task;
  readonly agentId: string;
}

/**
 * A parent's state given its children: waiting (input- or auth-required, as the first waiting
 * child, saying which task asks what) while any child waits; working again when none does and
 * it waited; unchanged (undefined) otherwise.
 */
export function parentGiven(parent: Task, waiting: ChildState | undefined): Task | undefined {
  const current = parent.metadata?.awaiting_input as AwaitingInput | undefined;
  if (!waiting) {
    if (!isInterrupted(parent.status?.state)) return undefined;
    const { awaiting_input: _, ...metadata } = parent.metadata ?? {};
    return { ...withState(parent, TaskState.TASK_STATE_WORKING), metadata };
  }
  const { task: child, agentId } = waiting;
  const awaiting: AwaitingInput = { task_id: askingTaskOf(child), child_task_id: child.id };
  const question = `delegated task ${child.id} (agent ${agentId}) asks: ${statusTextOf(child) || 'more input'}`;
  const state = child.status?.state ?? TaskState.TASK_STATE_INPUT_REQUIRED;
  if (
    parent.status?.state === state &&
    current?.task_id === awaiting.task_id &&
    current.child_task_id === awaiting.child_task_id &&
    statusTextOf(parent) === question
  )
    return undefined;
  return {
    ...withState(parent, state, question),
    metadata: { ...parent.metadata, awaiting_input: awaiting },
  };
}
