import { Artifact, Task, TaskState, type TaskStatus } from '@a2a-js/sdk';
import {
  AgentEvent,
  type AgentExecutor,
  type ExecutionEventBus,
  type RequestContext,
} from '@a2a-js/sdk/server';

const status = (state: TaskState): TaskStatus => ({
  state,
  message: undefined,
  timestamp: new Date().toISOString(),
});

const textOf = (context: RequestContext) =>
  context.userMessage.parts
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .join('');

/**
 * A test agent. Any text: the task is submitted, works, gets one artifact
 * (`<caller>: <text>`) and completes. The text `wait`: the task works until it is canceled.
 */
export class EchoExecutor implements AgentExecutor {
  private readonly waiting = new Map<string, () => void>();
  /** Tasks now waiting for their cancel, for tests to start from. */
  readonly started = new Set<string>();

  async execute(context: RequestContext, bus: ExecutionEventBus): Promise<void> {
    const { taskId, contextId } = context;
    bus.publish(
      AgentEvent.task(
        Task.fromJSON({
          id: taskId,
          contextId,
          status: { state: 'TASK_STATE_SUBMITTED', timestamp: new Date().toISOString() },
        }),
      ),
    );
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: status(TaskState.TASK_STATE_WORKING),
        metadata: {},
      }),
    );
    const text = textOf(context);
    if (text === 'wait') {
      await new Promise<void>((resolve) => {
        this.waiting.set(taskId, resolve);
        this.started.add(taskId);
      });
      return;
    }
    bus.publish(
      AgentEvent.artifactUpdate({
        taskId,
        contextId,
        artifact: Artifact.fromJSON({
          artifactId: 'echo',
          parts: [{ text: `${context.context.user?.userName}: ${text}` }],
        }),
        append: false,
        lastChunk: true,
        metadata: {},
      }),
    );
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId,
        status: status(TaskState.TASK_STATE_COMPLETED),
        metadata: {},
      }),
    );
    bus.finished();
  }

  async cancelTask(taskId: string, bus: ExecutionEventBus): Promise<void> {
    bus.publish(
      AgentEvent.statusUpdate({
        taskId,
        contextId: '',
        status: status(TaskState.TASK_STATE_CANCELED),
        metadata: {},
      }),
    );
    this.waiting.get(taskId)?.();
    this.waiting.delete(taskId);
    this.started.delete(taskId);
  }
}
