import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import type { Client } from '@a2a-js/sdk/client';
import { JsonRpcTaskNotCancelableError, JsonRpcTaskNotFoundError } from '@a2a-js/sdk/errors';
import { DefaultRequestHandler } from '@a2a-js/sdk/server';
import { Hono } from 'hono';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/index.js';
import { testPublicKeys, testToken } from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { a2aJsonRpcRoutes, agentCardRoute } from '../../platform/a2a/index.js';
import { inProcessFetch, sdkClient, testAgentCard } from '../../platform/a2a/testing/client.js';
import { EchoExecutor } from '../../platform/a2a/testing/executors.js';
import { createJwtVerifier } from '../../platform/auth.js';
import type { Database } from '../../platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../../platform/migrations.js';
import type { AppEnv } from '../../platform/types.js';
import { PostgresTaskStore } from './task-store.js';

// The SDK's client against the kit's A2A routes and the PostgreSQL task store, in process.
const BASE = 'http://orchestrator.test';
const CARD_URL = `${BASE}/.well-known/agent-card.json`;
const MAX_BODY_BYTES = 8 * 1024;
const database = useTestDatabase('a2a_routes');
const verify = createJwtVerifier({
  publicKeys: testPublicKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
});
let sql: Database;
let alice: { serviceParameters: Record<string, string> };
let bob: { serviceParameters: Record<string, string> };

/** One replica: its own handler, executor and store, on the shared database. */
function replica() {
  const executor = new EchoExecutor();
  const handler = new DefaultRequestHandler(
    testAgentCard(`${BASE}/v1/a2a`),
    new PostgresTaskStore(sql),
    executor,
  );
  const routes = new Hono<AppEnv>();
  routes.route('/a2a', a2aJsonRpcRoutes({ handler, maxBodyBytes: MAX_BODY_BYTES }));
  const { app } = kitApp({ routes, verify, bodyBytes: 1024 * 1024, requestTimeoutMs: 15_000 });
  app.route('/', agentCardRoute({ card: () => handler.getAgentCard() }));
  return { app, executor };
}
let first: ReturnType<typeof replica>;
let client: Client;

beforeAll(async () => {
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  const own = await loadMigrations(migrationsDirOf('agent-orchestrator'));
  await migrate(sql, { service: 'agent-orchestrator', migrations: own });
  const bearer = async (subject: string) => ({
    serviceParameters: { Authorization: `Bearer ${await testToken({ subject })}` },
  });
  alice = await bearer('user:alice');
  bob = await bearer('user:bob');
  first = replica();
  client = await sdkClient(first.app, CARD_URL);
});
afterAll(async () => {
  await sql?.end();
});

const message = (text: string, configuration: object = {}) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
    configuration,
  });
const textOf = (task: Task) =>
  task.artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );
const asTask = (result: unknown) => {
  expect(result).toHaveProperty('status');
  return result as Task;
};
const getTask = (c: Client, id: string, as = alice) =>
  c.getTask({ tenant: '', id, historyLength: undefined }, as);
const cancelTask = (c: Client, id: string, as = alice) =>
  c.cancelTask({ tenant: '', id, metadata: {} }, as);
const listTasks = (c: Client, as = alice) =>
  c.listTasks(
    {
      tenant: '',
      contextId: '',
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 100,
      pageToken: '',
      historyLength: undefined,
      statusTimestampAfter: undefined,
      includeArtifacts: true,
    },
    as,
  );
const storedRow = async (id: string) =>
  (
    await sql<
      { owner: string; state: string }[]
    >`select owner, state from a2a_tasks where id = ${id}`
  )[0];

/**
 * Waits until the executor holds the task and its WORKING state is stored (the SDK saves events
 * after publishing them). No deadline of its own: the test's timeout applies.
 */
async function untilWaiting(executor: EchoExecutor, id: string) {
  while (!executor.started.has(id) || (await storedRow(id))?.state !== 'TASK_STATE_WORKING')
    await new Promise((resolve) => setTimeout(resolve, 5));
}

describe('A2A JSON-RPC over the kit, tasks in PostgreSQL, driven by the SDK client', () => {
  it('serves the card in the spec form, with the bearer scheme as httpAuthSecurityScheme', async () => {
    const res = await first.app.request(CARD_URL);
    const card = await jsonOf(res);
    expect(res.status).toBe(200);
    expect(card.supportedInterfaces).toEqual([
      { url: `${BASE}/v1/a2a`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
    ]);
    expect(card.securitySchemes).toEqual({
      bearer: { httpAuthSecurityScheme: { scheme: 'Bearer', bearerFormat: 'JWT' } },
    });
  });

  it('runs a blocking SendMessage to completion and stores the task under its caller', async () => {
    const task = asTask(await client.sendMessage(message('hello'), alice));
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task)).toEqual(['user:alice: hello']);
    expect(await storedRow(task.id)).toEqual({
      owner: 'user:alice',
      state: 'TASK_STATE_COMPLETED',
    });
    expect(textOf(await getTask(client, task.id))).toEqual(['user:alice: hello']);
  });

  it('returns a non-blocking SendMessage before the task ends, and cancels it idempotently', async () => {
    const task = asTask(
      await client.sendMessage(message('wait', { returnImmediately: true }), alice),
    );
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(
      task.status?.state,
    );
    await untilWaiting(first.executor, task.id);
    expect((await getTask(client, task.id)).status?.state).toBe(TaskState.TASK_STATE_WORKING);
    const canceled = await cancelTask(client, task.id);
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    const again = await cancelTask(client, task.id);
    expect(again.id).toBe(task.id);
    expect(again.status).toEqual(canceled.status);
    expect((await storedRow(task.id))?.state).toBe('TASK_STATE_CANCELED');
  });

  it('refuses to cancel a completed task and leaves it completed', async () => {
    const task = asTask(await client.sendMessage(message('done'), alice));
    await expect(cancelTask(client, task.id)).rejects.toBeInstanceOf(JsonRpcTaskNotCancelableError);
    expect((await storedRow(task.id))?.state).toBe('TASK_STATE_COMPLETED');
  });

  it('streams SendStreamingMessage events in order: task, working, artifact, completed', async () => {
    const events: string[] = [];
    for await (const event of client.sendMessageStream(message('stream me'), alice)) {
      const payload = event.payload;
      if (payload?.$case === 'statusUpdate')
        events.push(`status:${TaskState[payload.value.status?.state ?? 0]}`);
      else if (payload?.$case === 'artifactUpdate')
        events.push(`artifact:${textOf({ artifacts: [payload.value.artifact] } as Task)}`);
      else events.push(payload?.$case ?? 'none');
    }
    expect(events).toEqual([
      'task',
      'status:TASK_STATE_WORKING',
      'artifact:user:alice: stream me',
      'status:TASK_STATE_COMPLETED',
    ]);
  });

  it('stores the task’s end even when the streaming client leaves after the first event', async () => {
    let taskId = '';
    for await (const event of client.sendMessageStream(message('leave early'), alice)) {
      if (event.payload?.$case === 'task') taskId = event.payload.value.id;
      break;
    }
    expect(taskId).not.toBe('');
    let state: TaskState | undefined;
    for (let tries = 0; tries < 50 && state !== TaskState.TASK_STATE_COMPLETED; tries += 1) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = (await client.getTask({ id: taskId } as never, alice)).status?.state;
    }
    expect(state).toBe(TaskState.TASK_STATE_COMPLETED);
  });

  it('subscribes to a running task and sees it canceled', async () => {
    const task = asTask(
      await client.sendMessage(message('wait', { returnImmediately: true }), alice),
    );
    await untilWaiting(first.executor, task.id);
    const events: string[] = [];
    for await (const event of client.resubscribeTask({ tenant: '', id: task.id }, alice)) {
      const payload = event.payload;
      if (payload?.$case === 'task') {
        events.push(`task:${TaskState[payload.value.status?.state ?? 0]}`);
        await cancelTask(client, task.id);
      } else if (payload?.$case === 'statusUpdate') {
        events.push(`status:${TaskState[payload.value.status?.state ?? 0]}`);
      }
    }
    expect(events).toEqual(['task:TASK_STATE_WORKING', 'status:TASK_STATE_CANCELED']);
  });

  it("shows no caller another's tasks: not listed, not found, not cancelable", async () => {
    const task = asTask(await client.sendMessage(message('mine'), alice));
    const aliceTasks = (await listTasks(client)).tasks.map((t) => t.id);
    expect(aliceTasks).toContain(task.id);
    expect((await listTasks(client, bob)).tasks).toEqual([]);
    await expect(getTask(client, task.id, bob)).rejects.toBeInstanceOf(JsonRpcTaskNotFoundError);
    await expect(cancelTask(client, task.id, bob)).rejects.toBeInstanceOf(JsonRpcTaskNotFoundError);
    await expect(getTask(client, randomUUID())).rejects.toBeInstanceOf(JsonRpcTaskNotFoundError);
  });

  it('keeps tasks across replicas: another handler on the same database reads and guards them', async () => {
    const task = asTask(await client.sendMessage(message('persist'), alice));
    const second = replica();
    const other = await sdkClient(second.app, CARD_URL);
    const read = await getTask(other, task.id);
    expect(read.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(read)).toEqual(['user:alice: persist']);
    expect((await listTasks(other)).tasks.map((t) => t.id)).toContain(task.id);
    await expect(cancelTask(other, task.id)).rejects.toBeInstanceOf(JsonRpcTaskNotCancelableError);
  });
});

describe('A2A JSON-RPC requests refused without storing anything', () => {
  const raw = async (body: string, headers: Record<string, string> = { 'A2A-Version': '1.0' }) => {
    const { serviceParameters } = alice;
    const res = await inProcessFetch(first.app)(`${BASE}/v1/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...serviceParameters, ...headers },
      body,
    });
    return { status: res.status, body: await jsonOf(res) };
  };
  const send = (extra: object = {}) =>
    JSON.stringify({
      jsonrpc: '2.0',
      id: 7,
      method: 'SendMessage',
      params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
      ...extra,
    });
  const taskCount = async () =>
    (await sql<{ n: number }[]>`select count(*)::int as n from a2a_tasks`)[0]?.n;

  it.each([
    ['malformed JSON', '{"jsonrpc": "2.0", "id": 7, "method": "SendMe', undefined, -32700, null],
    ['a batch', `[${send()}]`, undefined, -32600, null],
    ['an unknown method', send({ method: 'message/send' }), undefined, -32601, 7],
    ['params that are not an object', send({ params: 'hi' }), undefined, -32602, 7],
    ['a task id missing', send({ method: 'GetTask', params: {} }), undefined, -32602, 7],
    [
      'text the database cannot store',
      send({
        params: {
          message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'nul \u0000' }] },
        },
      }),
      undefined,
      -32602,
      7,
    ],
    ['no A2A-Version header', send(), {}, -32009, 7],
    ['A2A-Version 0.3', send(), { 'A2A-Version': '0.3' }, -32009, 7],
  ])(
    'answers %s with the JSON-RPC error and stores nothing',
    async (_, body, headers, code, id) => {
      const before = await taskCount();
      const res = await raw(body, headers);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ jsonrpc: '2.0', id, error: { code } });
      expect(await taskCount()).toBe(before);
    },
  );

  it('tells a caller without A2A-Version which header to send', async () => {
    const res = await raw(send(), {});
    expect((res.body.error as { message: string }).message).toContain('A2A-Version: 1.0');
  });

  it('refuses a body over the limit with 413 and -32600, storing nothing', async () => {
    const before = await taskCount();
    const res = await raw(send({ padding: 'x'.repeat(MAX_BODY_BYTES) }));
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32600 } });
    expect(await taskCount()).toBe(before);
  });

  it('answers a request without a bearer token with 401 before JSON-RPC', async () => {
    const res = await first.app.request(`${BASE}/v1/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0' },
      body: send(),
    });
    expect(res.status).toBe(401);
    expect(res.headers.get('WWW-Authenticate')).toMatch(/^Bearer/);
  });
});
