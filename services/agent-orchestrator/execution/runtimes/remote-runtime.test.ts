import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { ListTasksRequest, Task, TaskState } from '@a2a-js/sdk';
import { serve } from '@hono/node-server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testServiceKeys } from '../../../../test/harness/jwt.js';
import { sdkClient } from '../../../platform/a2a/testing/client.js';
import { serviceTokens } from '../../../platform/service-identity/service-token.js';
import type { Agent } from '../../domain/agent.js';
import { useRunningOrchestrator } from '../../testing/running-orchestrator.js';
import {
  SCRIPTED_COST_AIA,
  SCRIPTED_FAILURE,
  useScriptedA2aAgent,
} from '../../testing/scripted-a2a-agent.js';
import { isQuestion, RunRefused, type RuntimeDeps, type RuntimeRun, runtimeOf } from './index.js';
import type { RuntimeAnswer } from './runtime.js';

const running = useRunningOrchestrator('remote', {
  env: { PUSH_ALLOW_PRIVATE_ADDRESSES: 'true' },
});
const scripted = useScriptedA2aAgent();

/** The running orchestrator over HTTP on loopback: the platform the remote agents are on. */
const platform = {} as { url: string; server: Server };
beforeAll(async () => {
  platform.server = await new Promise<Server>((resolve) => {
    const started = serve(
      { fetch: running.orchestrator.app.fetch, hostname: '127.0.0.1', port: 0 },
      () => resolve(started as Server),
    ) as Server;
  });
  platform.url = `http://127.0.0.1:${(platform.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => platform.server?.close(resolve));
});

const tokens = serviceTokens({
  service: 'agent-orchestrator',
  signingKey: testServiceKeys['agent-orchestrator'],
  issuer: 'aia-platform',
});
const unused = <T extends object>(name: string): T =>
  new Proxy({} as T, {
    get: () => {
      throw new Error(`the remote runtime does not use ${name}`);
    },
  });
const depsWith = (overrides: Partial<RuntimeDeps> = {}): RuntimeDeps => ({
  llm: unused('the LLM layer'),
  governor: unused('the ledger'),
  outbound: { allowPrivate: true },
  platform: { origins: [platform.url], tokens },
  ...overrides,
});
const silent = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

const register = async (runtime: Record<string, unknown>) => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { name: 'Helper', description: 'Helps in tests', runtime },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: Agent }).agent;
};
const cardUrlOf = (agentId: string) =>
  `${platform.url}/a2a/agents/${agentId}/.well-known/agent-card.json`;
/** An echo agent on the platform and a remote agent pointing at its card. */
const remoteEcho = async () => {
  const echo = await register({ kind: 'tool', tool: 'echo' });
  const remote = await register({ kind: 'remote', card_url: cardUrlOf(echo.id) });
  return { echo, remote };
};
/** A remote agent pointing at `cardUrl`, as the registry would hold it. */
const remoteAt = (cardUrl: string, like: Agent): Agent => ({
  ...like,
  runtime: { kind: 'remote', card_url: cardUrl },
});

/** Remote tasks an earlier test already looked at. */
const seen = new Set<string>();

const runOf = (
  agent: Agent,
  prompt: string,
  {
    taskId = randomUUID(),
    attempt = 0,
    signal = new AbortController().signal,
    ended = false,
  }: { taskId?: string; attempt?: number; signal?: AbortSignal; ended?: boolean } = {},
): RuntimeRun => ({
  task: Task.fromJSON({
    id: taskId,
    contextId: randomUUID(),
    status: { state: 'TASK_STATE_WORKING' },
    history: [{ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: prompt }] }],
  }),
  agent,
  prompt,
  budgetAia: '5',
  attempt,
  signal,
  ended: () => Promise.resolve(ended),
  logger: silent,
});
/** What the runtime returns, answer or question. */
const attempt = (
  agent: Agent,
  prompt: string,
  options?: Parameters<typeof runOf>[2],
  deps = depsWith(),
) => runtimeOf(agent, deps)(runOf(agent, prompt, options));
/** The runtime's answer (a question fails the test). */
const run = async (...args: Parameters<typeof attempt>): Promise<RuntimeAnswer> => {
  const result = await attempt(...args);
  if (isQuestion(result)) throw new Error(`the runtime asked: ${result.question}`);
  return result;
};

const textsOf = (artifacts: Task['artifacts']) =>
  artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );
/** The tasks the orchestrator's service identity started with `agent`, through ListTasks. */
const remoteTasks = async (agent: Agent) => {
  const client = await sdkClient(running.orchestrator.app, cardUrlOf(agent.id));
  const token = await tokens('agent-orchestrator', []);
  const listed = await client.listTasks(ListTasksRequest.fromJSON({}), {
    serviceParameters: { Authorization: `Bearer ${token}` },
  });
  return listed.tasks;
};

describe('the remote runtime, calling an agent on this platform', () => {
  it("completes with the echo agent's artifacts, calling it with the service's identity", async () => {
    const { echo, remote } = await remoteEcho();
    const answer = await run(remote, 'say this back');
    expect(textsOf(answer.artifacts)).toEqual(['say this back']);
    expect(answer.costAia).toBe('0');
    const [task, ...others] = await remoteTasks(echo);
    expect(others).toEqual([]);
    expect(task?.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(answer.metadata).toEqual({
      remote: { card_url: cardUrlOf(echo.id), task_id: task?.id },
    });
  });

  it('finds the remote task again on a retried attempt instead of starting a second one', async () => {
    const { echo, remote } = await remoteEcho();
    const taskId = randomUUID();
    const first = await run(remote, 'once', { taskId, attempt: 0 });
    const retried = await run(remote, 'once', { taskId, attempt: 1 });
    expect(retried.metadata).toEqual(first.metadata);
    expect(await remoteTasks(echo)).toHaveLength(1);
    // Another task of ours is another remote task.
    await run(remote, 'once more');
    expect(await remoteTasks(echo)).toHaveLength(2);
  });

  it('is refused by the platform without its service identity (HTTP 401), as a refusal', async () => {
    const { remote } = await remoteEcho();
    const error = await run(remote, 'x', {}, depsWith({ platform: undefined })).catch((e) => e);
    expect(error).toBeInstanceOf(RunRefused);
    expect((error as Error).message).toMatch(/^the remote agent answered HTTP 401/);
  });
});

describe('the remote runtime, calling an agent elsewhere', () => {
  const scriptedAgent = async () => remoteAt(scripted.cardUrl, (await remoteEcho()).remote);

  it("refuses the run with the remote's reason when the remote task fails", async () => {
    const error = await run(await scriptedAgent(), 'fail').catch((e) => e);
    expect(error).toBeInstanceOf(RunRefused);
    expect((error as Error).message).toBe(`the remote agent failed the task: ${SCRIPTED_FAILURE}`);
  });

  it("asks the remote's question when the remote task needs input, and sends the answer to that task", async () => {
    const agent = await scriptedAgent();
    const first = runOf(agent, 'ask');
    const asked = await runtimeOf(agent, depsWith())(first);
    if (!isQuestion(asked)) throw new Error('expected a question');
    expect(asked).toMatchObject({ question: 'which colour?', state: 'input-required' });
    const remote = asked.metadata?.remote as { task_id: string; asked_at: string };
    expect(remote.task_id).toMatch(/^[0-9a-f-]{36}$/);
    const resumed: RuntimeRun = {
      ...first,
      task: { ...first.task, metadata: { ...first.task.metadata, ...asked.metadata } },
      resume: { messageId: randomUUID(), text: 'blue' },
    };
    const answered = await runtimeOf(agent, depsWith())(resumed);
    if (isQuestion(answered)) throw new Error(`asked again: ${answered.question}`);
    // The scripted agent echoes `<caller>: <text>`; it serves callers anonymously.
    expect(textsOf(answered.artifacts)).toEqual([': blue']);
    expect(answered.metadata).toEqual({
      remote: { card_url: scripted.cardUrl, task_id: remote.task_id },
    });
    // The same round again (its attempt retried after the answer went out): the remote task is
    // read, not sent the answer twice (this remote would refuse it: its task has ended).
    const again = await runtimeOf(agent, depsWith())(resumed);
    if (isQuestion(again)) throw new Error(`asked again: ${again.question}`);
    expect(textsOf(again.artifacts)).toEqual([': blue']);
  });

  it('takes a reported cost from an agent on this platform only', async () => {
    const agent = await scriptedAgent();
    expect((await run(agent, 'cost')).costAia).toBe('0');
    const trusting = depsWith({ platform: { origins: [scripted.url], tokens } });
    expect((await run(agent, 'cost', {}, trusting)).costAia).toBe(SCRIPTED_COST_AIA);
  });

  for (const [why, ended] of [
    ['the task was canceled', true],
    ['the attempt lost its lease', false],
  ] as const)
    it(`${ended ? 'cancels' : 'keeps'} the remote task when the attempt is aborted because ${why}`, async () => {
      const controller = new AbortController();
      const running = run(await scriptedAgent(), 'wait', { signal: controller.signal, ended });
      let remoteTaskId: string | undefined;
      for (let i = 0; i < 100 && !remoteTaskId; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        remoteTaskId = [...scripted.executor.started].find(
          (id) => !scripted.executor.canceled.has(id) && !seen.has(id),
        );
      }
      expect(remoteTaskId).toBeDefined();
      seen.add(remoteTaskId as string);
      controller.abort(new Error(why));
      await expect(running).rejects.toThrow(why);
      expect(scripted.executor.canceled.has(remoteTaskId as string)).toBe(ended);
    });

  it('cancels the remote task when the task is canceled while the message starting it is answered', async () => {
    scripted.answers.delayMs = 1_000;
    try {
      const controller = new AbortController();
      const running = run(await scriptedAgent(), 'wait', {
        signal: controller.signal,
        ended: true,
      });
      let remoteTaskId: string | undefined;
      for (let i = 0; i < 100 && !remoteTaskId; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        remoteTaskId = [...scripted.executor.started].find((id) => !seen.has(id));
      }
      expect(remoteTaskId).toBeDefined();
      seen.add(remoteTaskId as string);
      // The remote task runs; the answer naming it is still on its way.
      controller.abort(new Error('the task was canceled'));
      await expect(running).rejects.toThrow('the task was canceled');
      expect(scripted.executor.canceled.has(remoteTaskId as string)).toBe(true);
    } finally {
      scripted.answers.delayMs = 0;
    }
  });

  it('throws an ordinary error, to be retried, when the remote answers HTTP 503', async () => {
    const agent = remoteAt(scripted.brokenCardUrl, (await remoteEcho()).remote);
    const error = await run(agent, 'x').catch((e) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(RunRefused);
    expect((error as Error).message).toContain('503');
  });
});

describe('the outbound address rule', () => {
  it('refuses a cloud metadata card URL, and a loopback one when private addresses are not allowed', async () => {
    const { echo, remote } = await remoteEcho();
    const metadata = remoteAt('http://169.254.169.254/.well-known/agent-card.json', remote);
    const refused = await run(metadata, 'x').catch((e) => e);
    expect(refused).toBeInstanceOf(RunRefused);
    expect((refused as Error).message).toContain('cloud metadata address');
    const publicOnly = depsWith({ outbound: { allowPrivate: false } });
    const loopback = await run(remote, 'x', {}, publicOnly).catch((e) => e);
    expect(loopback).toBeInstanceOf(RunRefused);
    expect((loopback as Error).message).toContain('loopback address');
    expect(await remoteTasks(echo)).toEqual([]);
  });
});

describe('registering a remote agent', () => {
  const refusal = async (res: Response) => {
    expect(res.status).toBe(422);
    const body = (await res.json()) as { errors: { field: string; reason: string }[] };
    return body.errors;
  };
  const closedPort = async () => {
    const server = await new Promise<Server>((resolve) => {
      const started = serve({ fetch: () => new Response(), hostname: '127.0.0.1', port: 0 }, () =>
        resolve(started as Server),
      ) as Server;
    });
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    return port;
  };
  const registering = (card_url: string) =>
    running.orchestrator.call('POST', '/agents', {
      body: { name: 'Remote', description: 'Elsewhere', runtime: { kind: 'remote', card_url } },
    });

  it('refuses a card that cannot be fetched, is not a card, or is at a metadata address', async () => {
    const unreachable = `http://127.0.0.1:${await closedPort()}/.well-known/agent-card.json`;
    expect(await refusal(await registering(unreachable))).toEqual([
      {
        field: 'runtime.card_url',
        reason: expect.stringMatching(/^the card could not be fetched/),
      },
    ]);
    expect(await refusal(await registering(`${platform.url}/a2a/agents`))).toEqual([
      { field: 'runtime.card_url', reason: expect.stringContaining('is not an A2A agent card') },
    ]);
    expect(await refusal(await registering('http://169.254.169.254/card.json'))).toEqual([
      { field: 'runtime.card_url', reason: expect.stringContaining('cloud metadata address') },
    ]);
  });

  it('refuses changing a remote agent to a card that cannot be fetched, and keeps its card', async () => {
    const { remote } = await remoteEcho();
    const unreachable = `http://127.0.0.1:${await closedPort()}/.well-known/agent-card.json`;
    const res = await running.orchestrator.call('PATCH', `/agents/${remote.id}`, {
      body: { runtime: { card_url: unreachable } },
    });
    expect((await refusal(res))[0]?.field).toBe('runtime.card_url');
    const stored = await running.orchestrator.call('GET', `/agents/${remote.id}`);
    expect(((await stored.json()) as { agent: Agent }).agent.runtime).toEqual(remote.runtime);
  });
});
