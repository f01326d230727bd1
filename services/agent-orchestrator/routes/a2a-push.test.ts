import { createHash, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SendMessageRequest, StreamResponse, type Task, TaskState } from '@a2a-js/sdk';
import { createLocalJWKSet, type JSONWebKeySet, jwtVerify } from 'jose';
import pino from 'pino';
import { Registry } from 'prom-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { sdkClient } from '../../platform/a2a/testing/client.js';
import { createWorkers, type Workers } from '../../platform/workers.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';
import { eventually, type ReceivedRequest, startWebhookServer } from '../testing/webhook-server.js';

// The webhooks run on this machine's loopback: private addresses are let through here.
const running = useRunningOrchestrator('a2a_push', {
  env: { PUSH_ALLOW_PRIVATE_ADDRESSES: 'true' },
});
let webhook: Awaited<ReturnType<typeof startWebhookServer>>;
let workers: Workers;

beforeAll(async () => {
  webhook = await startWebhookServer();
  // The module's delivery worker, run as the service's runtime runs its workers.
  workers = createWorkers({
    logger: pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() })),
    registry: new Registry(),
  });
  for (const worker of running.orchestrator.parts.workers ?? [])
    if (worker.name === 'agent-push-delivery') workers.add(worker);
  workers.start();
});
afterAll(async () => {
  await workers?.stop();
  await webhook?.stop();
});

const ORIGIN = 'http://running.orchestrator.test';
const agentClient = async () => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: {
      name: 'Notifier',
      description: 'Answers and notifies in tests',
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Answer briefly.' },
    },
  });
  expect(res.status).toBe(201);
  const { id } = ((await res.json()) as { agent: { id: string } }).agent;
  return sdkClient(
    running.orchestrator.app,
    `${ORIGIN}/a2a/agents/${id}/.well-known/agent-card.json`,
  );
};
const as = async (subject: string) => ({
  serviceParameters: {
    Authorization: `Bearer ${await testToken({ subject, scope: 'agents:write' })}`,
  },
});
const send = (text: string, configuration: Record<string, unknown> = {}) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
    configuration,
  });
/** The task a notification carries (its body is a StreamResponse). */
const taskOf = (request: ReceivedRequest): Task => {
  const payload = StreamResponse.fromJSON(JSON.parse(request.body)).payload;
  if (payload?.$case !== 'task') throw new Error(`not a task notification: ${request.body}`);
  return payload.value;
};
const stateOf = (request: ReceivedRequest) => taskOf(request).status?.state;
const deliveries = async (outcome: string) => {
  const metric = await running.orchestrator.registry
    .getSingleMetric('agent_push_deliveries_total')
    ?.get();
  return metric?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
};
const bearerOf = (request: ReceivedRequest) =>
  /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1] ?? '';

describe('push notifications of an agent task', () => {
  it('tells a webhook set with SendMessage of submitted, working and completed, in order, with its token and a JWT the served JWKS verifies', async () => {
    const client = await agentClient();
    const path = '/hooks/inline';
    const url = webhook.url(path);
    const sent = (await client.sendMessage(
      send('What is 2 + 2?', {
        returnImmediately: true,
        taskPushNotificationConfig: { url, token: 'token-of-ada' },
      }),
      await as('user:ada'),
    )) as Task;
    await eventually('the completed notification', () =>
      webhook.at(path).some((r) => stateOf(r) === TaskState.TASK_STATE_COMPLETED),
    );
    const notifications = webhook.at(path);
    expect(notifications.map(stateOf)).toEqual([
      TaskState.TASK_STATE_SUBMITTED,
      TaskState.TASK_STATE_WORKING,
      TaskState.TASK_STATE_COMPLETED,
    ]);
    expect(notifications.map((r) => taskOf(r).id)).toEqual([sent.id, sent.id, sent.id]);
    expect(taskOf(notifications[2] as ReceivedRequest).artifacts).toHaveLength(1);

    const res = await running.orchestrator.app.request('/a2a/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const jwks = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    const ids = new Set<string>();
    for (const notification of notifications) {
      expect(notification.headers['x-a2a-notification-token']).toBe('token-of-ada');
      expect(notification.headers['content-type']).toBe('application/a2a+json');
      const { payload } = await jwtVerify(bearerOf(notification), jwks, {
        issuer: 'service:agent-orchestrator',
        audience: url,
        algorithms: ['ES256'],
      });
      expect(payload.request_body_sha256).toBe(
        createHash('sha256').update(notification.body).digest('hex'),
      );
      expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBeLessThanOrEqual(300);
      ids.add(payload.jti ?? '');
    }
    expect(ids.size).toBe(3);
  });

  it("sends the webhook's own credentials in Authorization when the config names them, and the JWT in X-A2A-Notification-Signature", async () => {
    const client = await agentClient();
    const path = '/hooks/basic';
    const url = webhook.url(path);
    await client.sendMessage(
      send('Basic auth', {
        returnImmediately: true,
        taskPushNotificationConfig: {
          url,
          authentication: { scheme: 'Basic', credentials: 'dXNlcjpwdw==' },
        },
      }),
      await as('user:ada'),
    );
    await eventually('a notification', () => webhook.at(path).length > 0);
    const [first] = webhook.at(path) as [ReceivedRequest];
    expect(first.headers.authorization).toBe('Basic dXNlcjpwdw==');
    expect(first.headers['x-a2a-notification-token']).toBeUndefined();
    const res = await running.orchestrator.app.request('/a2a/.well-known/jwks.json');
    const jwks = createLocalJWKSet((await res.json()) as JSONWebKeySet);
    const signature = String(first.headers['x-a2a-notification-signature']);
    const { payload } = await jwtVerify(signature, jwks, { audience: url });
    expect(payload.request_body_sha256).toBe(createHash('sha256').update(first.body).digest('hex'));
  });

  it('creates, reads, lists and deletes configs for the caller only (another caller finds neither task nor config)', async () => {
    const client = await agentClient();
    const task = (await client.sendMessage(send('Hello'), await as('user:ada'))) as Task;
    const created = await client.createTaskPushNotificationConfig(
      {
        tenant: '',
        id: '',
        taskId: task.id,
        url: webhook.url('/hooks/crud'),
        token: 't-1',
        authentication: undefined,
      },
      await as('user:ada'),
    );
    expect(created.id).not.toBe('');
    expect(created).toMatchObject({ taskId: task.id, url: webhook.url('/hooks/crud') });
    const second = await client.createTaskPushNotificationConfig(
      {
        tenant: '',
        id: 'mine-2',
        taskId: task.id,
        url: webhook.url('/hooks/crud-2'),
        token: '',
        authentication: { scheme: 'Bearer', credentials: '' },
      },
      await as('user:ada'),
    );
    expect(second.id).toBe('mine-2');

    const read = await client.getTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, id: created.id },
      await as('user:ada'),
    );
    expect(read).toEqual(created);
    const firstPage = await client.listTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, pageSize: 1, pageToken: '' },
      await as('user:ada'),
    );
    expect(firstPage.configs).toHaveLength(1);
    const secondPage = await client.listTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, pageSize: 1, pageToken: firstPage.nextPageToken },
      await as('user:ada'),
    );
    expect([...firstPage.configs, ...secondPage.configs].map((c) => c.id).sort()).toEqual(
      [created.id, 'mine-2'].sort(),
    );
    expect(secondPage.nextPageToken).toBe('');

    const bob = await as('user:bob');
    await expect(
      client.getTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id }, bob),
    ).rejects.toThrow(`no task ${task.id}`);
    await expect(
      client.listTaskPushNotificationConfig(
        { tenant: '', taskId: task.id, pageSize: 0, pageToken: '' },
        bob,
      ),
    ).rejects.toThrow(`no task ${task.id}`);
    await expect(
      client.deleteTaskPushNotificationConfig({ tenant: '', taskId: task.id, id: created.id }, bob),
    ).rejects.toThrow(`no task ${task.id}`);

    await client.deleteTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, id: created.id },
      await as('user:ada'),
    );
    await expect(
      client.getTaskPushNotificationConfig(
        { tenant: '', taskId: task.id, id: created.id },
        await as('user:ada'),
      ),
    ).rejects.toThrow(`no push notification config ${created.id}`);
    const left = await client.listTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, pageSize: 0, pageToken: '' },
      await as('user:ada'),
    );
    expect(left.configs.map((c) => c.id)).toEqual(['mine-2']);
  });

  it('sends a notification again after its webhook failed twice with 503, with the same notification id, and the later ones after it', async () => {
    const client = await agentClient();
    const path = '/hooks/flaky';
    webhook.answer(path, [503, 503]);
    const [retried, delivered] = [await deliveries('retried'), await deliveries('delivered')];
    await client.sendMessage(
      send('Retry me', {
        returnImmediately: true,
        taskPushNotificationConfig: { url: webhook.url(path) },
      }),
      await as('user:ada'),
    );
    await eventually('the completed notification', () =>
      webhook.at(path).some((r) => stateOf(r) === TaskState.TASK_STATE_COMPLETED),
    );
    const notifications = webhook.at(path);
    expect(notifications.map(stateOf)).toEqual([
      TaskState.TASK_STATE_SUBMITTED,
      TaskState.TASK_STATE_SUBMITTED,
      TaskState.TASK_STATE_SUBMITTED,
      TaskState.TASK_STATE_WORKING,
      TaskState.TASK_STATE_COMPLETED,
    ]);
    const jtis = await Promise.all(
      notifications.map(async (r) => {
        const [, payload = ''] = bearerOf(r).split('.');
        return (JSON.parse(Buffer.from(payload, 'base64url').toString()) as { jti: string }).jti;
      }),
    );
    expect(new Set(jtis.slice(0, 3)).size).toBe(1);
    expect(new Set(jtis).size).toBe(3);
    // Counted once the webhook's answer is in: just after the webhook saw the request.
    await eventually(
      'three deliveries counted',
      async () => (await deliveries('delivered')) >= delivered + 3,
    );
    expect(await deliveries('delivered')).toBe(delivered + 3);
    expect(await deliveries('retried')).toBe(retried + 2);
  });

  it('does not send a notification again that its webhook rejected with a 4xx; the next ones still go', async () => {
    const client = await agentClient();
    const path = '/hooks/rejecting';
    webhook.answer(path, [400]);
    const [rejected, delivered] = [await deliveries('rejected'), await deliveries('delivered')];
    await client.sendMessage(
      send('Reject the first', {
        returnImmediately: true,
        taskPushNotificationConfig: { url: webhook.url(path) },
      }),
      await as('user:ada'),
    );
    await eventually('the completed notification', () =>
      webhook.at(path).some((r) => stateOf(r) === TaskState.TASK_STATE_COMPLETED),
    );
    expect(webhook.at(path).map(stateOf)).toEqual([
      TaskState.TASK_STATE_SUBMITTED,
      TaskState.TASK_STATE_WORKING,
      TaskState.TASK_STATE_COMPLETED,
    ]);
    await eventually(
      'all three counted',
      async () => (await deliveries('delivered')) >= delivered + 2,
    );
    expect(await deliveries('rejected')).toBe(rejected + 1);
  });

  it('stops sending once the config is deleted, dropping what it had not sent', async () => {
    const client = await agentClient();
    const path = '/hooks/down';
    webhook.answer(path, Array<number>(100).fill(503));
    const task = (await client.sendMessage(
      send('Nobody listens', {
        returnImmediately: true,
        taskPushNotificationConfig: { id: 'down', url: webhook.url(path) },
      }),
      await as('user:ada'),
    )) as Task;
    await eventually('a first attempt', () => webhook.at(path).length >= 1);
    await client.deleteTaskPushNotificationConfig(
      { tenant: '', taskId: task.id, id: 'down' },
      await as('user:ada'),
    );
    const [pending] = await running.sql<{ n: number }[]>`
      select count(*)::int as n from a2a_push_deliveries where task_id = ${task.id}`;
    expect(pending?.n).toBe(0);
    const attempts = webhook.at(path).length;
    // Without the delete, retries would come after 0.5 s, 1 s and 2 s.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    // One attempt may have been on its way when the config went.
    expect(webhook.at(path).length).toBeLessThanOrEqual(attempts + 1);
  });
});
