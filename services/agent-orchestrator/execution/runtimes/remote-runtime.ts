import { setTimeout as sleep } from 'node:timers/promises';
import {
  type Artifact,
  type Message,
  SendMessageRequest,
  type SendMessageResult,
  type Task,
  TaskState,
} from '@a2a-js/sdk';
import { Client, JsonRpcTransportFactory, TenantTransportDecorator } from '@a2a-js/sdk/client';
import type { Logger } from 'pino';
import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import type { AgentRuntime } from '../../domain/agent.js';
import { formatAia, parseAia } from '../../domain/aia-amount.js';
import { statusTextOf } from '../task-states.js';
import { authorizationFor, guardedFetch, isOnPlatform, runErrorOf } from './remote-calls.js';
import { fetchRemoteCard } from './remote-card.js';
import {
  RunRefused,
  type Runtime,
  type RuntimeDeps,
  type RuntimeQuestion,
  type RuntimeRun,
} from './runtime.js';

type RemoteSettings = Extract<AgentRuntime, { kind: 'remote' }>;

/** The first wait before reading the remote task again; each wait doubles, up to the next. */
const FIRST_POLL_MS = 200;
const MAX_POLL_MS = 5_000;
/** The longest one call to the remote agent may take (a send, a read). */
const CALL_TIMEOUT_MS = 30_000;
/** A cancel is sent on the way out of an aborted attempt: it may not hold the attempt long. */
const CANCEL_TIMEOUT_MS = 5_000;

/** States the remote task is left in when the runtime stops reading it. */
const SETTLED: ReadonlySet<TaskState> = new Set([
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_REJECTED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_AUTH_REQUIRED,
]);

/** How each settled state that ends the task other than completed reads in our failure reason. */
const REFUSALS: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_FAILED]: 'the remote agent failed the task',
  [TaskState.TASK_STATE_REJECTED]: 'the remote agent rejected the task',
  [TaskState.TASK_STATE_CANCELED]: 'the remote agent canceled the task',
};

/** The settled states in which the remote agent waits for its sender, and ours with it. */
const QUESTIONS: Partial<Record<TaskState, RuntimeQuestion['state']>> = {
  [TaskState.TASK_STATE_INPUT_REQUIRED]: 'input-required',
  [TaskState.TASK_STATE_AUTH_REQUIRED]: 'auth-required',
};

/** One attempt's connection to the remote agent. */
interface RemoteSession {
  readonly client: Client;
  /** Whether the agent is on this platform: its token is ours, and its reported cost trusted. */
  readonly onPlatform: boolean;
  /** The call options of one call: its headers (a fresh token) and its time limit. */
  options(
    signal: AbortSignal,
    timeoutMs?: number,
  ): Promise<{
    serviceParameters: Record<string, string>;
    signal: AbortSignal;
  }>;
}

/**
 * An A2A agent elsewhere, called as an A2A client: its card is read from `card_url`, the task's
 * prompt is sent to its JSON-RPC interface as one message whose `messageId` is derived from our
 * task's id (so every attempt names the same remote task on a remote that, like this platform,
 * answers a repeated `messageId` with the task it started), without waiting, and the remote task
 * is read until it settles. Completed: its artifacts are the answer. Failed, rejected, canceled:
 * {@link RunRefused} with the remote's status message. Input- or auth-required: a question with
 * the remote's status message (our task waits for its sender); the sender's answer, when the
 * task is resumed, goes to that same remote task. An attempt
 * aborted because our task ended cancels the remote task. Every call goes through the outbound address rule.
 *
 * Cost: "0", except for an agent on this platform (its interface on `deps.platform.origins`),
 * whose task carries the task's budget as `metadata.budget_aia` and reports what it spent as
 * `metadata.cost.aia`, computed by this platform's own code.
 */
export const remoteRuntime =
  (deps: RuntimeDeps, { card_url }: RemoteSettings): Runtime =>
  async (run) => {
    let session: RemoteSession | undefined;
    let remoteTaskId: string | undefined;
    try {
      session = await connect(deps, card_url, run.signal);
      const sent = await sendOrFind(session, run);
      if (!isMessage(sent)) remoteTaskId = sent.id;
      // Aborted while the answer came: the remote task it names is known now, and canceled below.
      run.signal.throwIfAborted();
      if (isMessage(sent))
        return {
          artifacts: [messageArtifact(sent)],
          costAia: '0',
          metadata: remoteFacts(card_url),
        };
      // A remote that answers the resuming message with the task as it was (still asking) has
      // not read the answer yet: that status does not count as settled.
      const task = await untilSettled(
        session,
        sent,
        run.signal,
        run.resume ? askedAtOf(run.task) : undefined,
      );
      const refusal = REFUSALS[stateOf(task)];
      if (refusal) throw new RunRefused(`${refusal}: ${statusText(task)}`);
      const asks = QUESTIONS[stateOf(task)];
      if (asks)
        return {
          question: statusText(task),
          state: asks,
          costAia: '0',
          metadata: {
            remote: { ...remoteFacts(card_url, task.id).remote, asked_at: task.status?.timestamp },
          },
        };
      return {
        artifacts: task.artifacts,
        costAia: session.onPlatform ? (reportedCost(task) ?? '0') : '0',
        metadata: remoteFacts(card_url, task.id),
      };
    } catch (error) {
      if (!run.signal.aborted) throw runErrorOf(error);
      // Only a task that ended here (canceled, past its deadline) takes the remote one with it:
      // a lost lease or a shutdown also aborts the attempt, and the retry picks the same
      // remote task up again by its message id.
      if (session && remoteTaskId && (await run.ended()))
        await cancelRemote(session, remoteTaskId, run.logger);
      throw run.signal.reason;
    }
  };

/**
 * Cancels the remote task our task `task` was waiting on (`metadata.remote.task_id`) at the
 * remote agent of `settings`, after our task ended while it waited (no attempt was running to do
 * it). A remote task that has ended already is left as it is; a remote that cannot be reached is
 * retried (the job's), a refusal logged.
 */
export async function cancelRemoteTask(
  deps: RuntimeDeps,
  { card_url }: RemoteSettings,
  task: Task,
  logger: Logger,
): Promise<void> {
  const remoteTaskId = remoteTaskOf(task);
  if (!remoteTaskId) return;
  const session = await connect(deps, card_url, new AbortController().signal);
  try {
    const options = await session.options(new AbortController().signal, CANCEL_TIMEOUT_MS);
    await session.client.cancelTask({ tenant: '', id: remoteTaskId, metadata: {} }, options);
  } catch (error) {
    const failure = runErrorOf(error);
    if (!(failure instanceof RunRefused)) throw failure;
    logger.info({ remoteTaskId, reason: failure.message }, 'the remote task was not canceled');
  }
}

async function connect(
  deps: RuntimeDeps,
  cardUrl: string,
  signal: AbortSignal,
): Promise<RemoteSession> {
  const { card, endpoint } = await fetchRemoteCard(cardUrl, deps.outbound, signal);
  const factory = new JsonRpcTransportFactory({ fetchImpl: guardedFetch(deps.outbound) });
  const transport = await factory.create(endpoint.url, card);
  const client = new Client(
    endpoint.tenant ? new TenantTransportDecorator(transport, endpoint.tenant) : transport,
    card,
  );
  return {
    client,
    onPlatform: isOnPlatform(endpoint.url, deps.platform),
    options: async (callSignal, timeoutMs = CALL_TIMEOUT_MS) => ({
      serviceParameters: await authorizationFor(card, endpoint.url, deps.platform),
      signal: AbortSignal.any([callSignal, AbortSignal.timeout(timeoutMs)]),
    }),
  };
}

/**
 * The message to the remote agent: the task's prompt, or, when the task is resumed after the
 * remote asked for input, the sender's answer sent to the remote task that asked. Message ids
 * derive from our task (and the answer's message), so every attempt sends the same message.
 */
function requestFor(
  run: RuntimeRun,
  onPlatform: boolean,
  remoteTaskId: string | undefined,
): SendMessageRequest {
  const resumed = run.resume && remoteTaskId ? run.resume : undefined;
  return SendMessageRequest.fromJSON({
    message: {
      messageId: nameBasedUuid(
        resumed ? `remote:${run.task.id}:${resumed.messageId}` : `remote:${run.task.id}`,
      ),
      role: 'ROLE_USER',
      parts: [{ text: resumed ? resumed.text : run.prompt }],
      ...(resumed && { taskId: remoteTaskId }),
    },
    configuration: { returnImmediately: true },
    ...(onPlatform && !resumed ? { metadata: { budget_aia: run.budgetAia } } : {}),
  });
}

/** When the remote task asked the question our task waits on, as recorded with it. */
const askedAtOf = (task: Task): string | undefined => {
  const remote = task.metadata?.remote as { asked_at?: unknown } | undefined;
  return typeof remote?.asked_at === 'string' ? remote.asked_at : undefined;
};

/** The remote task an earlier attempt started, as recorded on our task. */
const remoteTaskOf = (task: Task): string | undefined => {
  const remote = task.metadata?.remote as { task_id?: unknown } | undefined;
  return typeof remote?.task_id === 'string' ? remote.task_id : undefined;
};

/**
 * Sends the run's message, except when the run resumes a remote task that no longer asks the
 * question it was answering: an earlier attempt of this round sent the answer already, and a
 * remote that does not recognise a repeated `messageId` (the SDK's handler appends it again, or
 * refuses it once the task has ended) must not get it twice. That remote task is answered then.
 */
async function sendOrFind(session: RemoteSession, run: RuntimeRun): Promise<SendMessageResult> {
  const remoteTaskId = remoteTaskOf(run.task);
  if (run.resume && remoteTaskId) {
    const now = await session.client.getTask(
      { tenant: '', id: remoteTaskId },
      await session.options(run.signal),
    );
    const stillAsking = QUESTIONS[stateOf(now)] && now.status?.timestamp === askedAtOf(run.task);
    if (!stillAsking) return now;
  }
  // Not cut at once by the attempt's abort: the answer names the remote task the message may have
  // started, which a task that ended meanwhile cancels. It may take CANCEL_TIMEOUT_MS more.
  return session.client.sendMessage(
    requestFor(run, session.onPlatform, remoteTaskId),
    await session.options(graceAfter(run.signal, CANCEL_TIMEOUT_MS)),
  );
}

/** A signal that aborts `graceMs` after `signal` does. */
function graceAfter(signal: AbortSignal, graceMs: number): AbortSignal {
  const controller = new AbortController();
  const abortLater = () => setTimeout(() => controller.abort(signal.reason), graceMs).unref();
  if (signal.aborted) abortLater();
  else signal.addEventListener('abort', abortLater, { once: true });
  return controller.signal;
}

/**
 * Reads the remote task, waiting longer each time (up to 5 s), until it settles; a question
 * whose status is timestamped `askedAt` (the one already answered) is not settled.
 */
async function untilSettled(
  session: RemoteSession,
  sent: Task,
  signal: AbortSignal,
  askedAt?: string,
) {
  const settled = (task: Task) =>
    SETTLED.has(stateOf(task)) &&
    !(askedAt !== undefined && QUESTIONS[stateOf(task)] && task.status?.timestamp === askedAt);
  let task = sent;
  for (let wait = FIRST_POLL_MS; !settled(task); ) {
    await sleep(wait, undefined, { signal });
    wait = Math.min(wait * 2, MAX_POLL_MS);
    task = await session.client.getTask({ tenant: '', id: task.id }, await session.options(signal));
  }
  return task;
}

async function cancelRemote(session: RemoteSession, id: string, logger: Logger): Promise<void> {
  try {
    // Not the aborted signal: the cancel has to go out after it.
    const options = await session.options(new AbortController().signal, CANCEL_TIMEOUT_MS);
    await session.client.cancelTask({ tenant: '', id, metadata: {} }, options);
  } catch (error) {
    logger.warn({ err: error, remoteTaskId: id }, 'the remote task could not be canceled');
  }
}

const stateOf = (task: Task): TaskState => task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED;

const isMessage = (result: SendMessageResult): result is Message => 'messageId' in result;

/** A remote agent that answered with a message instead of a task: its parts are the answer. */
const messageArtifact = (message: Message): Artifact => ({
  artifactId: message.messageId,
  name: 'answer',
  description: '',
  parts: message.parts,
  metadata: {},
  extensions: [],
});

const statusText = (task: Task): string => statusTextOf(task) || 'no reason given';

/** `metadata.cost.aia` of a task on this platform, when it is an AIA amount. */
function reportedCost(task: Task): string | undefined {
  const aia: unknown = task.metadata?.cost?.aia;
  if (typeof aia !== 'string') return undefined;
  try {
    return formatAia(parseAia(aia));
  } catch {
    return undefined;
  }
}

const remoteFacts = (cardUrl: string, taskId?: string) => ({
  remote: { card_url: cardUrl, ...(taskId === undefined ? {} : { task_id: taskId }) },
});
