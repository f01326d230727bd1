import { Message, Task } from '@a2a-js/sdk';
import { taskTrace } from '../run-trace.js';
import { depthOf } from './roster.js';

/**
 * A delegated task as it is first recorded: submitted, in its parent's context, one delegation
 * deeper, its budget and who delegated it in its metadata (plus `metadata`), in the parent's
 * trace, and the request as its one user message (whose id is the task's: written again, it is
 * the same message).
 */
export function childTask(
  parent: Task,
  {
    id,
    delegatedBy,
    budgetAia,
    request,
    metadata = {},
  }: {
    readonly id: string;
    readonly delegatedBy: string;
    readonly budgetAia: string;
    readonly request: string;
    readonly metadata?: Record<string, unknown>;
  },
): Task {
  const task = Task.fromJSON({
    id,
    contextId: parent.contextId,
    status: { state: 'TASK_STATE_SUBMITTED', timestamp: new Date().toISOString() },
    metadata: {
      budget_aia: budgetAia,
      depth: depthOf(parent) + 1,
      parent_task_id: parent.id,
      delegated_by: delegatedBy,
      ...metadata,
      ...taskTrace(id),
    },
  });
  task.history = [
    Message.fromJSON({
      messageId: id,
      contextId: parent.contextId,
      taskId: id,
      role: 'ROLE_USER',
      parts: [{ text: request }],
    }),
  ];
  return task;
}
