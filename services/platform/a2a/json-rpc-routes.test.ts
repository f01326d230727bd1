import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import { ClientFactory } from '@a2a-js/sdk/client';
import {
  DefaultRequestHandler,
  type ExecutionEventBus,
  InMemoryTaskStore,
  type RequestContext,
  type TaskStore,
} from '@a2a-js/sdk/server';
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testPublicKeys, testToken } from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { authenticate, createJwtVerifier } from '../auth.js';
import { errorHandler } from '../error-handler.js';
import type { AppEnv } from '../types.js';
import { agentCardRoute } from './agent-card-route.js';
import { a2aJsonRpcRoutes } from './json-rpc-routes.js';
import { inProcessFetch, sdkClient, testAgentCard } from './testing/client.js';
import { EchoExecutor } from './testing/executors.js';

const verify = createJwtVerifier({
  publicKeys: testPublicKeys,
  issuer: 'aia-platform',
  audience: 'aia-platform',
});
const message = (text: string) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
  });
const textOf = (task: Task) =>
  task.artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );
const bearer = async (subject: string) => ({
  serviceParameters: { Authorization: `Bearer ${await testToken({ subject })}` },
});

describe('a2aJsonRpcRoutes outside /v1, with the authenticate option', () => {
  const base = 'http://agent.test';
  const handler = new DefaultRequestHandler(
    testAgentCard(`${base}/a2a`),
    new InMemoryTaskStore(),
    new EchoExecutor(),
  );
  const app = new Hono<AppEnv>();
  app.onError(errorHandler);
  app.route('/a2a', a2aJsonRpcRoutes({ handler, authenticate: authenticate({ verify }) }));
  app.route('/', agentCardRoute({ card: testAgentCard(`${base}/a2a`) }));

  it('runs the task as the token subject', async () => {
    const client = await sdkClient(app, `${base}/.well-known/agent-card.json`);
    const task = (await client.sendMessage(message('hi'), await bearer('user:ada'))) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task)).toEqual(['user:ada: hi']);
  });

  it('answers a request without a token with 401 and runs nothing', async () => {
    const res = await inProcessFetch(app)(`${base}/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'ListTasks', params: {} }),
    });
    expect(res.status).toBe(401);
  });
});

describe('a2aJsonRpcRoutes with an extension the agent activates', () => {
  const base = 'http://agent.test';
  const EXTENSION = 'urn:aia:test-extension';
  class ExtendingExecutor extends EchoExecutor {
    override async execute(context: RequestContext, bus: ExecutionEventBus) {
      context.context.addActivatedExtension(EXTENSION);
      await super.execute(context, bus);
    }
  }
  const handler = new DefaultRequestHandler(
    testAgentCard(`${base}/a2a`),
    new InMemoryTaskStore(),
    new ExtendingExecutor(),
  );
  const app = new Hono<AppEnv>().route('/a2a', a2aJsonRpcRoutes({ handler, anonymous: true }));
  const call = (method: string) =>
    app.request(`${base}/a2a`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'A2A-Version': '1.0',
        'A2A-Extensions': EXTENSION,
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method,
        params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'x' }] } },
      }),
    });

  it.each(['SendMessage', 'SendStreamingMessage'])(
    'names it in the A2A-Extensions header of a %s response',
    async (method) => {
      const res = await call(method);
      expect(res.status).toBe(200);
      expect(res.headers.get('A2A-Extensions')).toBe(EXTENSION);
      await res.text();
    },
  );
});

describe('a2aJsonRpcRoutes without a caller', () => {
  it('refuses a request that reached it with no principal, unless the agent is anonymous on purpose', async () => {
    const handler = new DefaultRequestHandler(
      testAgentCard('http://agent.test/a2a'),
      new InMemoryTaskStore(),
      new EchoExecutor(),
    );
    const request = (app: Hono<AppEnv>) =>
      app.request('http://agent.test/a2a', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ListTasks', params: {} }),
      });
    const closed = await request(new Hono<AppEnv>().route('/a2a', a2aJsonRpcRoutes({ handler })));
    expect(closed.status).toBe(401);
    expect(closed.headers.get('WWW-Authenticate')).toBe('Bearer');
    const open = await request(
      new Hono<AppEnv>().route('/a2a', a2aJsonRpcRoutes({ handler, anonymous: true })),
    );
    expect(open.status).toBe(200);
  });
});

describe('a2aJsonRpcRoutes on an internal failure', () => {
  const base = 'http://agent.test';
  const failing: TaskStore = {
    save: async () => {},
    load: async () => {
      throw new Error('connect ECONNREFUSED 10.0.0.5:5432 (password=hunter2)');
    },
    list: async () => ({ tasks: [], nextPageToken: '', pageSize: 0, totalSize: 0 }),
  };
  const handler = new DefaultRequestHandler(
    testAgentCard(`${base}/v1/a2a`),
    failing,
    new EchoExecutor(),
  );

  it('answers 500 with a bare internal error and keeps the cause in the log', async () => {
    const routes = new Hono<AppEnv>().route('/a2a', a2aJsonRpcRoutes({ handler }));
    const { app, logs } = kitApp({ routes, verify });
    const { serviceParameters } = await bearer('user:ada');
    const res = await app.request(`${base}/v1/a2a`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'A2A-Version': '1.0', ...serviceParameters },
      body: JSON.stringify({ jsonrpc: '2.0', id: 3, method: 'GetTask', params: { id: 'x' } }),
    });
    const body = await jsonOf(res);
    expect(res.status).toBe(500);
    expect(body).toEqual({
      jsonrpc: '2.0',
      id: 3,
      error: { code: -32603, message: 'internal error' },
    });
    expect(JSON.stringify(body)).not.toContain('hunter2');
    expect(logs.text).toContain('A2A request failed');
  });
});

describe('a2aJsonRpcRoutes over a real socket', () => {
  let server: Server;
  let base = '';
  beforeAll(async () => {
    const holder: { app?: Hono<AppEnv> } = {};
    server = serve({
      fetch: (request) => (holder.app as Hono<AppEnv>).fetch(request),
      hostname: '127.0.0.1',
      port: 0,
    }) as Server;
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const handler = new DefaultRequestHandler(
      testAgentCard(`${base}/a2a`),
      new InMemoryTaskStore(),
      new EchoExecutor(),
    );
    const app = new Hono<AppEnv>();
    app.onError(errorHandler);
    app.route('/a2a', a2aJsonRpcRoutes({ handler, authenticate: authenticate({ verify }) }));
    app.route('/', agentCardRoute({ card: () => handler.getAgentCard() }));
    holder.app = app;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('streams server-sent events to the SDK client with its default fetch', async () => {
    const client = await new ClientFactory().createFromUrl(base);
    const states: string[] = [];
    for await (const event of client.sendMessageStream(
      message('over tcp'),
      await bearer('user:ada'),
    )) {
      const payload = event.payload;
      states.push(
        payload?.$case === 'statusUpdate'
          ? `${TaskState[payload.value.status?.state ?? 0]}`
          : (payload?.$case ?? 'none'),
      );
    }
    expect(states).toEqual([
      'task',
      'TASK_STATE_WORKING',
      'artifactUpdate',
      'TASK_STATE_COMPLETED',
    ]);
  });
});
