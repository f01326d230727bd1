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
import { authorizationFor, guardedFetch, isOnPlatform, runErrorOf } from './remote-calls.js';
import { fetchRemoteCard } from './remote-card.js';
import { RunRefused, type Runtime, type RuntimeDeps, type RuntimeRun } from './runtime.js';

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

/** How each settled state other than completed reads in our task's failure reason. */
const REFUSALS: Partial<Record<TaskState, string>> = {
  [TaskState.TASK_STATE_FAILED]: 'the remote agent failed the task',
  [TaskState.TASK_STATE_REJECTED]: 'the remote agent rejected the task',
  [TaskState.TASK_STATE_CANCELED]: 'the remote agent canceled the task',
  [TaskState.TASK_STATE_INPUT_REQUIRED]:
    'the remote agent asks for more input, which remote agents cannot be given yet',
  [TaskState.TASK_STATE_AUTH_REQUIRED]:
    'the remote agent asks for authentication, which remote agents cannot be given yet',
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
 * is read until it settles. Completed: its artifacts are the answer. Failed, rejected, canceled,
 * input- or auth-required: {@link RunRefused} with the remote's status message. An attempt
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
      const sent = await session.client.sendMessage(
        requestFor(run, session.onPlatform),
        await session.options(run.signal),
      );
      if (isMessage(sent))
        return {
          artifacts: [messageArtifact(sent)],
          costAia: '0',
          metadata: remoteFacts(card_url),
        };
      remoteTaskId = sent.id;
      const task = await untilSettled(session, sent, run.signal);
      const refusal = REFUSALS[stateOf(task)];
      if (refusal) throw new RunRefused(`${refusal}: ${statusText(task)}`);
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

function requestFor(run: RuntimeRun, onPlatform: boolean): SendMessageRequest {
  return SendMessageRequest.fromJSON({
    message: {
      // Attempt-independent: a retried attempt finds the remote task the first one started.
      messageId: nameBasedUuid(`remote:${run.task.id}`),
      role: 'ROLE_USER',
      parts: [{ text: run.prompt }],
    },
    configuration: { returnImmediately: true },
    ...(onPlatform ? { metadata: { budget_aia: run.budgetAia } } : {}),
  });
}

/** Reads the remote task, waiting longer each time (up to 5 s), until it settles. */
async function untilSettled(session: RemoteSession, sent: Task, signal: AbortSignal) {
  let task = sent;
  for (let wait = FIRST_POLL_MS; !SETTLED.has(stateOf(task)); ) {
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

const statusText = (task: Task): string =>
  (task.status?.message?.parts ?? [])
    .flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
    .join(' ')
    .trim() || 'no reason given';

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
