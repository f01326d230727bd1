import { setTimeout as sleep } from 'node:timers/promises';
import {
  AGENT_CARD_PATH,
  type Artifact,
  SendMessageRequest,
  type Task,
  TaskState,
} from '@a2a-js/sdk';
import {
  type Client,
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';
import { nameBasedUuid } from '../../../platform/name-based-uuid.js';
import {
  type BenchmarkRun,
  type BenchmarkRunner,
  type BenchmarkRunRequest,
  UnrunnableError,
} from './benchmark-runner.js';

/** The first wait before reading the task again; each wait doubles, up to the next. */
const FIRST_POLL_MS = 100;
const MAX_POLL_MS = 2_000;

/** States a task ends (or stops to ask) in: the runner stops reading it there. */
const ENDED: ReadonlyMap<TaskState, string | undefined> = new Map([
  [TaskState.TASK_STATE_COMPLETED, undefined],
  [TaskState.TASK_STATE_FAILED, 'the agent failed the task'],
  [TaskState.TASK_STATE_REJECTED, 'the agent rejected the task'],
  [TaskState.TASK_STATE_CANCELED, 'the task was canceled'],
  [TaskState.TASK_STATE_INPUT_REQUIRED, 'the agent asked for input'],
  [TaskState.TASK_STATE_AUTH_REQUIRED, 'the agent asked for authorisation'],
]);

export interface A2aBenchmarkRunnerOptions {
  /** The agent orchestrator's base URL: agents answer A2A at `<base>/a2a/agents/{id}`. */
  readonly orchestratorUrl: string;
  /** `fetch` that sends the tracker's service token with every call. */
  readonly fetchImpl: typeof fetch;
  /** The longest one benchmark task may take. Default 120 s. */
  readonly taskTimeoutMs?: number;
}

const textOf = (artifacts: readonly Artifact[] | undefined): string =>
  (artifacts ?? [])
    .flatMap((artifact) => artifact.parts)
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .join('\n');

const costOf = (task: Task): string => {
  const aia: unknown = task.metadata?.cost?.aia;
  return typeof aia === 'string' && /^\d+(\.\d+)?$/.test(aia) ? aia : '0';
};

/**
 * Runs benchmark tasks through A2A 1.0, as any sender would: the task's input is sent to the
 * agent's JSON-RPC endpoint at the orchestrator (`SendMessage`, returning at once, with a
 * `messageId` derived from the run key, so a retried attempt names the same task), and the task
 * is read until it ends. Completed: its artifacts' text is the answer; failed, rejected,
 * canceled, or asking for input: the task was not done (`refused`). The cost is the task's
 * `metadata.cost.aia` as the orchestrator reports it. A variant without an agent of its own
 * (changed settings only) cannot be sent a message: {@link UnrunnableError}.
 */
export function a2aBenchmarkRunner({
  orchestratorUrl,
  fetchImpl,
  taskTimeoutMs = 120_000,
}: A2aBenchmarkRunnerOptions): BenchmarkRunner {
  const factory = new ClientFactory(
    ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
      transports: [new JsonRpcTransportFactory({ fetchImpl })],
      cardResolver: new DefaultAgentCardResolver({ fetchImpl }),
    }),
  );
  const clients = new Map<string, Promise<Client>>();
  const clientOf = (agentId: string) => {
    const base = `${orchestratorUrl.replace(/\/+$/, '')}/a2a/agents/${agentId}`;
    let client = clients.get(agentId);
    if (!client) {
      client = factory.createFromUrl(`${base}/${AGENT_CARD_PATH}`, '');
      // A card that could not be read is asked for again next time.
      client.catch(() => clients.delete(agentId));
      clients.set(agentId, client);
    }
    return client;
  };
  return {
    async run({ agent, task, runKey, signal }: BenchmarkRunRequest): Promise<BenchmarkRun> {
      if (agent.settings)
        throw new UnrunnableError(
          'a variant of changed settings only has no A2A endpoint: register it as an agent of its own (variant_agent_id) to evaluate it',
        );
      const within = AbortSignal.any([signal, AbortSignal.timeout(taskTimeoutMs)]);
      const client = await clientOf(agent.agentId);
      const sent = await client.sendMessage(
        SendMessageRequest.fromJSON({
          message: {
            messageId: nameBasedUuid(`benchmark:${runKey}`),
            role: 'ROLE_USER',
            parts: [{ text: task.input }],
          },
          configuration: { returnImmediately: true },
        }),
        { signal: within },
      );
      if ('messageId' in sent)
        return { answer: textOf([{ parts: sent.parts } as Artifact]), costAia: '0' };
      let current: Task = sent;
      for (
        let wait = FIRST_POLL_MS;
        !ENDED.has(current.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);
      ) {
        await sleep(wait, undefined, { signal: within });
        wait = Math.min(wait * 2, MAX_POLL_MS);
        current = await client.getTask({ tenant: '', id: current.id }, { signal: within });
      }
      const refusal = ENDED.get(current.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED);
      return refusal === undefined
        ? { answer: textOf(current.artifacts), costAia: costOf(current) }
        : { refused: refusal, costAia: costOf(current) };
    },
  };
}
