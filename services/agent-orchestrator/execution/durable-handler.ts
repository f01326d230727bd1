import {
  type AgentCard,
  type CancelTaskRequest,
  type DeleteTaskPushNotificationConfigRequest,
  type GetExtendedAgentCardRequest,
  type GetTaskPushNotificationConfigRequest,
  type GetTaskRequest,
  type ListTaskPushNotificationConfigsRequest,
  type ListTaskPushNotificationConfigsResponse,
  type ListTasksRequest,
  type ListTasksResponse,
  type Message,
  type SendMessageRequest,
  type StreamResponse,
  type SubscribeToTaskRequest,
  Task,
  type TaskPushNotificationConfig,
  TaskState,
  taskStateToJSON,
} from '@a2a-js/sdk';
import {
  RequestMalformedError,
  TaskNotCancelableError,
  TaskNotFoundError,
  UnsupportedOperationError,
} from '@a2a-js/sdk/errors';
import {
  type A2ARequestHandler,
  DefaultRequestHandler,
  resolveUserScope,
  type ServerCallContext,
} from '@a2a-js/sdk/server';
import type { Database } from '../../platform/db.js';
import { nameBasedUuid } from '../../platform/name-based-uuid.js';
import { inTransaction } from '../../platform/transactions.js';
import type { Agent } from '../domain/agent.js';
import { parseAia } from '../domain/aia-amount.js';
import { setDeadline } from '../repository/delegations.js';
import { PostgresTaskStore } from '../repository/task-store.js';
import { PushConfigMethods, type PushSettings } from './push-config-methods.js';
import { taskTrace } from './run-trace.js';
import { writeTaskRecorded } from './task-events.js';
import type { TaskLifecycle } from './task-lifecycle.js';
import { isInterrupted, isTerminal } from './task-states.js';

/** How often a blocking wait or a stream reads its task (LISTEN/NOTIFY would wake it instead). */
const POLL_MS = 100;

export interface DurableHandlerOptions {
  readonly sql: Database;
  /** Saves state changes (and what follows a task's end); its queue runs the tasks. */
  readonly lifecycle: TaskLifecycle;
  /** How long a task may take from submission to its end; its children share the deadline. */
  readonly deadlineSeconds: number;
  readonly agent: Agent;
  readonly card: AgentCard;
  /** Push notifications (configs and their webhooks); absent: not supported (-32003). */
  readonly push?: PushSettings | undefined;
  /** How long a blocking SendMessage waits for the task to finish before answering it as it is. */
  readonly waitMs: number;
  /** How often that wait reads the task. Default 100 ms. */
  readonly pollMs?: number;
}

/**
 * One agent's A2A request handler with durable execution: SendMessage records the task
 * (submitted) and enqueues its run in one transaction, and a pg-boss worker (any replica) runs
 * it; the SDK's `DefaultRequestHandler` runs agents in process, so only reads (GetTask,
 * ListTasks) go through it. Task ids derive from the agent, the caller and the message id, so a
 * retried SendMessage finds its task instead of running the agent twice.
 */
export class DurableAgentHandler implements A2ARequestHandler {
  private readonly reads: DefaultRequestHandler;
  private readonly store: PostgresTaskStore;
  private readonly push: PushConfigMethods;

  constructor(private readonly options: DurableHandlerOptions) {
    this.store = new PostgresTaskStore(options.sql, { agentId: options.agent.id });
    this.push = new PushConfigMethods(options.sql, this.store, options.push);
    this.reads = new DefaultRequestHandler(options.card, this.store, {
      execute: async () => {
        throw new UnsupportedOperationError('runs go through the durable queue');
      },
      cancelTask: async () => {},
    });
  }

  getAgentCard(): Promise<AgentCard> {
    return Promise.resolve(this.options.card);
  }

  getAuthenticatedExtendedAgentCard(
    params: GetExtendedAgentCardRequest,
    context: ServerCallContext,
  ): Promise<AgentCard> {
    return this.reads.getAuthenticatedExtendedAgentCard(params, context);
  }

  async sendMessage(params: SendMessageRequest, context: ServerCallContext): Promise<Task> {
    const task = await this.submit(params, context);
    if (params.configuration?.returnImmediately || hasSettled(task)) return task;
    return this.waitForEnd(task, context);
  }

  /**
   * The task as SendMessage records it, then its changes as the store shows them (read every
   * `pollMs`, so whichever replica runs it): artifact and status updates, until it finishes or
   * the wait is over (the client then reads GetTask or subscribes again).
   */
  async *sendMessageStream(
    params: SendMessageRequest,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    yield* this.follow(await this.submit(params, context), context);
  }

  /** The task now, then its changes as in {@link sendMessageStream}; a finished task has none. */
  async *resubscribe(
    params: SubscribeToTaskRequest,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    const task = await this.store.load(params.id, context);
    if (!task) throw new TaskNotFoundError(`no task ${params.id}`);
    if (isTerminal(task.status?.state))
      throw new UnsupportedOperationError(`task ${params.id} has finished: read it with GetTask`);
    yield* this.follow(task, context);
  }

  getTask(params: GetTaskRequest, context: ServerCallContext): Promise<Task> {
    return this.reads.getTask(params, context);
  }

  listTasks(params: ListTasksRequest, context: ServerCallContext): Promise<ListTasksResponse> {
    return this.reads.listTasks(params, context);
  }

  /**
   * Cancels the run's job (queued, it never starts; running, its worker's signal aborts) and
   * moves the task to canceled, once: a canceled task answers as it is, another finished one is
   * not cancelable.
   */
  async cancelTask(params: CancelTaskRequest, context: ServerCallContext): Promise<Task> {
    const task = await this.store.load(params.id, context);
    if (!task) throw new TaskNotFoundError(`no task ${params.id}`);
    if (!isTerminal(task.status?.state)) {
      const scope = {
        tenant: context.tenant ?? '',
        owner: resolveUserScope(context),
        agentId: this.options.agent.id,
      };
      if (await this.options.lifecycle.cancel(scope, task, 'canceled by its sender'))
        return (await this.store.load(params.id, context)) ?? task;
    }
    const now = (await this.store.load(params.id, context)) ?? task;
    if (now.status?.state === TaskState.TASK_STATE_CANCELED) return now;
    throw new TaskNotCancelableError(`task ${params.id} has finished`);
  }

  /** A webhook for the caller's task; see {@link PushConfigMethods} for what is checked. */
  createTaskPushNotificationConfig(
    params: TaskPushNotificationConfig,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    return this.push.create(params, context);
  }

  getTaskPushNotificationConfig(
    params: GetTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<TaskPushNotificationConfig> {
    return this.push.get(params, context);
  }

  listTaskPushNotificationConfigs(
    params: ListTaskPushNotificationConfigsRequest,
    context: ServerCallContext,
  ): Promise<ListTaskPushNotificationConfigsResponse> {
    return this.push.list(params, context);
  }

  /** Deletes the webhook; the notifications it had not been sent yet are dropped with it. */
  deleteTaskPushNotificationConfig(
    params: DeleteTaskPushNotificationConfigRequest,
    context: ServerCallContext,
  ): Promise<void> {
    return this.push.delete(params, context);
  }

  /**
   * The task of this message: recorded and enqueued together, or found when it was already; for
   * a message naming its task, that task continued (see {@link continueTask}).
   */
  private async submit(params: SendMessageRequest, context: ServerCallContext): Promise<Task> {
    const { agent, sql, lifecycle, deadlineSeconds } = this.options;
    const message = checkedMessage(params.message);
    if (message.taskId) return this.continueTask(message, params, context);
    // Checked (its webhook's addresses too) before anything is recorded.
    const pushConfig = params.configuration?.taskPushNotificationConfig;
    const push = pushConfig && (await this.push.checkedForSend(pushConfig));
    const id = taskIdOf(
      agent.id,
      context.tenant ?? '',
      resolveUserScope(context),
      message.messageId,
    );
    const contextId = message.contextId || crypto.randomUUID();
    const submitted = Task.fromJSON({
      id,
      contextId,
      status: { state: 'TASK_STATE_SUBMITTED', timestamp: new Date().toISOString() },
    });
    submitted.history = [{ ...message, taskId: id, contextId }];
    submitted.metadata = {
      budget_aia: budgetOfRequest(params, agent, resolveUserScope(context)),
      ...skillsOfRequest(params),
      ...evidenceOfRequest(params),
      ...taskTrace(id),
    };
    return inTransaction(sql, async (tx) => {
      // Two sends of one message at once: the second waits here and finds the first's task.
      await tx`select pg_advisory_xact_lock(hashtextextended(${`a2a-task:${id}`}, 0))`;
      const store = new PostgresTaskStore(tx, { agentId: agent.id });
      const existing = await store.load(id, context);
      if (existing) return existing;
      await store.save(submitted, context);
      // With the task, so the trigger that announces its changes finds the webhook at commit.
      if (push) await this.push.saveWithTask(tx, id, push);
      await setDeadline(tx, id, new Date(Date.now() + deadlineSeconds * 1_000));
      await writeTaskRecorded(tx, id, agent);
      await lifecycle.queue.enqueue(tx, id, 'run', {
        id: agent.id,
        concurrency: agent.limits.concurrency,
      });
      return submitted;
    });
  }

  /**
   * A message to a task waiting for its sender (input-required, auth-required) resumes it: the
   * message goes to the task that asked, down the delegation tree when the question came from a
   * delegate. The same message again answers the task as it is. A task that has ended, or that is
   * working and did not ask, takes no message (-32004); an unknown task is -32001.
   */
  private async continueTask(
    message: Message,
    params: SendMessageRequest,
    context: ServerCallContext,
  ): Promise<Task> {
    const taskId = message.taskId;
    const task = await this.store.load(taskId, context);
    if (!task) throw new TaskNotFoundError(`message.taskId: no task ${taskId}`);
    if (message.contextId && message.contextId !== task.contextId)
      throw new RequestMalformedError(
        `message.contextId: task ${taskId} is in context ${task.contextId}, not ${message.contextId}`,
      );
    if (params.configuration?.taskPushNotificationConfig)
      throw new RequestMalformedError(
        'configuration.taskPushNotificationConfig: set webhooks of an existing task with CreateTaskPushNotificationConfig',
      );
    const received = { ...message, contextId: task.contextId };
    const scope = {
      tenant: context.tenant ?? '',
      owner: resolveUserScope(context),
      agentId: this.options.agent.id,
    };
    const outcome = isTerminal(task.status?.state)
      ? 'ended'
      : await this.options.lifecycle.resume(scope, taskId, received);
    if (outcome === 'ended' && !task.history.some((said) => said.messageId === message.messageId))
      throw new UnsupportedOperationError(
        `message.taskId: task ${taskId} has ended (${stateName(task)}) and takes no more messages`,
      );
    if (outcome === 'not-waiting') {
      const now = (await this.store.load(taskId, context)) ?? task;
      throw new UnsupportedOperationError(
        `message.taskId: task ${taskId} is ${stateName(now)}; a task takes another message only when it asks for one (input-required or auth-required)`,
      );
    }
    return (await this.store.load(taskId, context)) ?? task;
  }

  private async *follow(
    task: Task,
    context: ServerCallContext,
  ): AsyncGenerator<StreamResponse, void, undefined> {
    const { waitMs, pollMs = POLL_MS } = this.options;
    const { id: taskId, contextId } = task;
    yield { payload: { $case: 'task', value: task } };
    const deadline = Date.now() + waitMs;
    let last = task;
    while (!hasSettled(last) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      const now = await this.store.load(taskId, context);
      if (!now) return;
      for (const artifact of now.artifacts.slice(last.artifacts.length))
        yield {
          payload: {
            $case: 'artifactUpdate',
            value: { taskId, contextId, artifact, append: false, lastChunk: true, metadata: {} },
          },
        };
      if (
        now.status?.state !== last.status?.state ||
        now.status?.timestamp !== last.status?.timestamp
      )
        yield {
          payload: {
            $case: 'statusUpdate',
            value: { taskId, contextId, status: now.status, metadata: {} },
          },
        };
      last = now;
    }
  }

  /**
   * Reads the task until it finishes, or asks its sender, or the wait is over; answers it as it
   * then is.
   */
  private async waitForEnd(task: Task, context: ServerCallContext): Promise<Task> {
    const { waitMs, pollMs = POLL_MS } = this.options;
    const deadline = Date.now() + waitMs;
    let now = task;
    while (!hasSettled(now) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      now = (await this.store.load(task.id, context)) ?? now;
    }
    return now;
  }
}

/**
 * The AIA budget a SendMessage gives its task: `metadata.budget_aia` (a decimal string; above the
 * agent's default only for its owner) or the agent's default budget.
 */
function budgetOfRequest(params: SendMessageRequest, agent: Agent, sender: string): string {
  const named = params.metadata?.budget_aia ?? params.message?.metadata?.budget_aia;
  if (named === undefined) return agent.limits.default_budget_aia;
  if (typeof named !== 'string')
    throw new RequestMalformedError(
      'metadata.budget_aia: must be a decimal string of AIA, for example "2.5"',
    );
  let units: bigint;
  try {
    units = parseAia(named, 'metadata.budget_aia');
  } catch (error) {
    throw new RequestMalformedError((error as Error).message);
  }
  // The agent's money pays its delegations: only its owner may let a task spend more of it. A
  // platform service passing its own budget along (a remote runtime) gets the default instead.
  const ceiling = parseAia(agent.limits.default_budget_aia);
  if (sender !== agent.owner && units > ceiling && sender.startsWith('service:'))
    return agent.limits.default_budget_aia;
  if (sender !== agent.owner && units > ceiling)
    throw new RequestMalformedError(
      `metadata.budget_aia: at most the agent's default budget (${agent.limits.default_budget_aia} AIA) unless you own the agent`,
    );
  return named;
}

/** Skill tags a sender asks delegates for: `metadata.skills`, at most 8 tags of 1–64 characters. */
function skillsOfRequest(params: SendMessageRequest): { skills?: string[] } {
  const skills = params.metadata?.skills;
  if (skills === undefined) return {};
  const valid =
    Array.isArray(skills) &&
    skills.length <= MAX_REQUESTED_SKILLS &&
    skills.every((tag) => typeof tag === 'string' && tag.length >= 1 && tag.length <= 64);
  if (!valid)
    throw new RequestMalformedError(
      `metadata.skills: must be a list of at most ${MAX_REQUESTED_SKILLS} skill tags (1 to 64 characters each)`,
    );
  return { skills: skills as string[] };
}

const MAX_REQUESTED_SKILLS = 8;

/** Longest skill or task type name a task may name (the run record's limit). */
const MAX_EVIDENCE_NAME = 200;

/**
 * What the task's run will be evidence of, as its sender names it: `metadata.skill` (the skill it
 * exercises), `metadata.strategy` (a DKG strategy entry id) and `metadata.task_type`; kept on the
 * task and carried by its `aia.agents.runs.v1` record, from which the DKG manager and the
 * performance tracker learn. Refused with -32602 naming the field when malformed.
 */
function evidenceOfRequest(params: SendMessageRequest): Record<string, string> {
  const named = params.metadata ?? {};
  const name = (field: 'skill' | 'task_type'): string | undefined => {
    const value = named[field];
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_EVIDENCE_NAME)
      throw new RequestMalformedError(
        `metadata.${field}: must be a name of 1 to ${MAX_EVIDENCE_NAME} characters`,
      );
    return value;
  };
  const strategy = named.strategy;
  if (strategy !== undefined && !(typeof strategy === 'string' && UUID.test(strategy)))
    throw new RequestMalformedError('metadata.strategy: must be a DKG strategy entry id (a UUID)');
  const skill = name('skill');
  const taskType = name('task_type');
  return {
    ...(skill !== undefined && { skill }),
    ...(taskType !== undefined && { taskType }),
    ...(typeof strategy === 'string' && { strategy: strategy.toLowerCase() }),
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The message of a SendMessage, or why it cannot start a task. */
function checkedMessage(message: Message | undefined): Message {
  if (!message) throw new RequestMalformedError('message: required');
  if (!message.messageId) throw new RequestMalformedError('message.messageId: required');
  if (message.parts.length === 0)
    throw new RequestMalformedError('message.parts: at least one part is required');
  return message;
}

/**
 * Whether a blocking send or a stream stops following the task: it ended, or it waits for its
 * sender (A2A's interrupted states).
 */
const hasSettled = (task: Task): boolean =>
  isTerminal(task.status?.state) || isInterrupted(task.status?.state);

/** A task's state as the spec writes it: `input-required`, `completed`. */
const stateName = (task: Task): string =>
  taskStateToJSON(task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED)
    .replace('TASK_STATE_', '')
    .toLowerCase()
    .replaceAll('_', '-');

/**
 * A task's id from its agent, tenant, caller and message id (a UUID-shaped SHA-256 prefix): the
 * same message sent again names the same task, and pg-boss's job of the same id.
 */
export const taskIdOf = (
  agentId: string,
  tenant: string,
  owner: string,
  messageId: string,
): string => nameBasedUuid(JSON.stringify([agentId, tenant, owner, messageId]));
