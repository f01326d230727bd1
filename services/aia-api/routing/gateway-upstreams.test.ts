import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import {
  ClientFactory,
  ClientFactoryOptions,
  DefaultAgentCardResolver,
  JsonRpcTransportFactory,
} from '@a2a-js/sdk/client';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testJwtEnv, testToken } from '../../../test/harness/jwt.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { findFreePort } from '../../../tools/local-servers/index.js';
import { useRunningOrchestrator } from '../../agent-orchestrator/testing/running-orchestrator.js';
import { dkgApp } from '../../dkg-manager/testing/dkg-app.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { type RunningService, startService } from '../../platform/runtime.js';
import type { AppEnv } from '../../platform/types.js';
import { aiaApiModule } from '../module.js';

// Cards name the gateway: the orchestrator's A2A_PUBLIC_URL is the gateway's origin and `/v1`.
const gatewayPort = await findFreePort();
const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
const running = useRunningOrchestrator('gateway', { env: { A2A_PUBLIC_URL: `${gatewayUrl}/v1` } });
const dkgDatabase = useTestDatabase('gateway_dkg');
const gatewayDatabase = useTestDatabase('gateway_upstreams');
const redis = useTestRedis();

let gateway: RunningService;
let dkgSql: Database;
const servers: Server[] = [];

const served = async (app: Hono<AppEnv>) => {
  const server = await new Promise<Server>((resolve) => {
    const started = serve({ fetch: app.fetch, hostname: '127.0.0.1', port: 0 }, () =>
      resolve(started as Server),
    ) as Server;
  });
  servers.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

beforeAll(async () => {
  dkgSql = createDatabase({ url: dkgDatabase.url, applicationName: 'gateway-test', max: 4 });
  await migrateService(dkgSql, 'dkg-manager');
  const dkg = dkgApp(dkgSql);
  gateway = await startService('aia-api', {
    env: {
      PORT: String(gatewayPort),
      HOST: '127.0.0.1',
      ...testJwtEnv,
      DATABASE_URL: gatewayDatabase.url,
      REDIS_URL: redis.url,
      ECONOMIC_GOVERNOR_URL: running.governor.url,
      AGENT_ORCHESTRATOR_URL: await served(running.orchestrator.app),
      DKG_MANAGER_URL: await served(dkg.app),
    },
    module: aiaApiModule,
    logDestination: new Writable({ write: (_chunk, _encoding, done) => done() }),
  });
});
afterAll(async () => {
  await gateway?.stop();
  for (const server of servers) await new Promise((resolve) => server.close(resolve));
  await dkgSql?.end();
});

const as = async (scope: string) => ({
  Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope })}`,
});
const send = async (method: string, path: string, scope: string, body?: unknown) =>
  fetch(`${gatewayUrl}${path}`, {
    method,
    headers: {
      ...(await as(scope)),
      ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe('the gateway in front of the real services', () => {
  it('opens a ledger account and reads it back through /v1/ledger, with its own rate limit', async () => {
    const opened = await fetch(`${gatewayUrl}/v1/ledger/accounts`, {
      method: 'POST',
      headers: {
        ...(await as('ledger:write ledger:read')),
        'Content-Type': 'application/json',
        'Idempotency-Key': randomUUID(),
      },
      body: JSON.stringify({ ledger: 'AIA' }),
    });
    expect(opened.status).toBe(201);
    expect(opened.headers.get('RateLimit-Limit')).toBe('600');
    const { account } = (await opened.json()) as { account: { id: string; owner: string } };
    expect(account.owner).toBe('user:ada');
    const read = await send('GET', `/v1/ledger/accounts/${account.id}`, 'ledger:read');
    expect(read.status).toBe(200);
    expect(((await read.json()) as { account: { id: string } }).account.id).toBe(account.id);
  });

  it("passes the ledger's own refusals through, at the caller's path", async () => {
    const direct = await fetch(`${running.governor.url}/v1/accounts/not-an-id`, {
      headers: await as('ledger:read'),
    });
    const routed = await send('GET', '/v1/ledger/accounts/not-an-id', 'ledger:read');
    expect(routed.status).toBe(direct.status);
    const [a, b] = [await direct.json(), await routed.json()] as Record<string, unknown>[];
    expect(a?.instance).toBe('/v1/accounts/not-an-id');
    expect(b?.instance).toBe('/v1/ledger/accounts/not-an-id');
    const unrouted = { requestId: undefined, instance: undefined };
    expect({ ...b, ...unrouted }).toEqual({ ...a, ...unrouted });
  });

  it("lets a private vote through without a token (the governor judges its proof), and nothing else of the ledger's", async () => {
    const vote = (method: string, path: string) =>
      fetch(`${gatewayUrl}/v1/ledger/governance/${path}`, {
        method,
        headers: { 'Content-Type': 'application/json' },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
    const anonymous = await vote('POST', 'private-votes');
    expect(anonymous.status).toBe(422);
    expect(((await anonymous.json()) as { errors: { field: string }[] }).errors).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'proposal_id' })]),
    );
    expect((await vote('GET', 'private-votes')).status).toBe(401);
    expect((await vote('POST', 'proposals')).status).toBe(401);
  });

  it('refuses a call without a token at the gateway, before any upstream', async () => {
    const res = await fetch(`${gatewayUrl}/v1/ledger/ledgers`);
    expect(res.status).toBe(401);
  });

  it('finds DKG entries through /v1/graph/search', async () => {
    const name = `Gateway search ${randomUUID().slice(0, 8)}`;
    const made = await send('POST', '/v1/graph/skills', 'dkg:write', { name, description: 'x' });
    expect(made.status).toBe(201);
    const res = await send('GET', `/v1/graph/search?q=${encodeURIComponent(name)}`, 'dkg:read');
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { name: string }[] };
    expect(results.map((r) => r.name)).toEqual([name]);
  });

  it('serves the graph page at /v1/graph/explore/ without a token, and its old address redirects there', async () => {
    for (const method of ['GET', 'HEAD']) {
      const res = await fetch(`${gatewayUrl}/v1/graph/explore/`, { method });
      expect(res.status, method).toBe(200);
      expect(res.headers.get('Content-Type')).toMatch(/text\/html/);
      expect(res.headers.get('Content-Security-Policy')).toMatch(/default-src 'none'/);
    }
    const script = await fetch(`${gatewayUrl}/v1/graph/explore/explore.js`);
    expect(script.status).toBe(200);
    // The DKG's own redirect and the gateway's, followed as a browser follows them.
    for (const from of ['/v1/graph/explore', '/graph/explore']) {
      const res = await fetch(`${gatewayUrl}${from}`);
      expect(res.redirected, from).toBe(true);
      expect(new URL(res.url).pathname, from).toBe('/v1/graph/explore/');
      expect(res.status, from).toBe(200);
    }
  });

  it('keeps every other method of the page, and the rest of the DKG API, behind the token', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const res = await fetch(`${gatewayUrl}/v1/graph/explore/`, { method });
      expect(res.status, method).toBe(401);
    }
    for (const path of ['/v1/graph/search?q=x', '/v1/graph/explorer', '/v1/graph/skills']) {
      const res = await fetch(`${gatewayUrl}${path}`);
      expect(res.status, path).toBe(401);
    }
  });

  describe('A2A through /v1/a2a', () => {
    let cardUrl: string;
    beforeAll(async () => {
      const res = await send('POST', '/v1/agents', 'agents:read agents:write', {
        name: 'Gateway streamer',
        description: 'Answers through the gateway',
        runtime: { kind: 'llm', model_class: 'fast', instructions: 'Answer briefly.' },
      });
      expect(res.status).toBe(201);
      const { id } = ((await res.json()) as { agent: { id: string } }).agent;
      cardUrl = `${gatewayUrl}/v1/a2a/agents/${id}/.well-known/agent-card.json`;
    });
    const client = () =>
      new ClientFactory(
        ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
          transports: [new JsonRpcTransportFactory({ fetchImpl: fetch })],
          cardResolver: new DefaultAgentCardResolver({ fetchImpl: fetch }),
        }),
      ).createFromUrl(cardUrl, '');
    const message = (text: string) =>
      SendMessageRequest.fromJSON({
        message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
      });

    it('serves the public card without a token, its interface on the gateway', async () => {
      const card = (await (await fetch(cardUrl)).json()) as {
        supportedInterfaces: { url: string }[];
      };
      expect(card.supportedInterfaces[0]?.url).toBe(cardUrl.replace(/\/\.well-known\/.*$/, ''));
    });

    it('answers SendMessage', async () => {
      const task = (await (
        await client()
      ).sendMessage(message('Hello'), {
        serviceParameters: await as('agents:write'),
      })) as Task;
      expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    });

    it('streams SendStreamingMessage to completed', async () => {
      const events = [];
      for await (const event of (await client()).sendMessageStream(message('Stream it'), {
        serviceParameters: await as('agents:write'),
      }))
        events.push(event.payload);
      expect(events[0]?.$case).toBe('task');
      const states = events.flatMap((e) =>
        e?.$case === 'statusUpdate' ? [e.value.status?.state] : [],
      );
      expect(states.at(-1)).toBe(TaskState.TASK_STATE_COMPLETED);
    });
  });
});
