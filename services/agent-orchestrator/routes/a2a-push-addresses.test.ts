import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { serviceDefinition } from '../../catalog.js';
import { inProcessFetch } from '../../platform/a2a/testing/client.js';
import { loadConfig } from '../../platform/config.js';
import { MAX_PUSH_CONFIGS_PER_TASK } from '../domain/push-config.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';

// As on staging and production: PUSH_ALLOW_PRIVATE_ADDRESSES left at false.
const running = useRunningOrchestrator('a2a_push_addr');

const ORIGIN = 'http://running.orchestrator.test';
const INVALID_PARAMS = -32602;

const llmAgent = async () => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: {
      name: 'Guarded',
      description: 'Refuses internal webhooks in tests',
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Answer briefly.' },
    },
  });
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};
const rpc = async (agentId: string, method: string, params: unknown) => {
  const res = await inProcessFetch(running.orchestrator.app)(`${ORIGIN}/a2a/agents/${agentId}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'A2A-Version': '1.0',
      Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
  return (await res.json()) as {
    result?: Record<string, unknown> & { task?: { id: string } };
    error?: { code: number; message: string };
  };
};
const message = () => ({ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] });
const finishedTask = async (agentId: string) => {
  const sent = await rpc(agentId, 'SendMessage', { message: message() });
  return sent.result?.task?.id ?? '';
};
const count = async (table: 'a2a_push_configs' | 'a2a_tasks') =>
  (await running.sql<{ n: number }[]>`select count(*)::int as n from ${running.sql(table)}`)[0]?.n;

describe('push notification configs where private addresses are not allowed', () => {
  it.each([
    ['https://169.254.169.254/latest/meta-data/', 'a cloud metadata address'],
    ['https://10.0.0.1/hook', 'a private address'],
    ['https://[::ffff:10.0.0.1]/hook', 'a private address'],
    ['https://127.0.0.1:8443/hook', 'a loopback address'],
    ['https://localhost:8443/hook', 'a loopback address'],
    ['https://[fe80::1]/hook', 'a link-local address'],
  ])('refuses %s at create time with invalid params (%s), storing nothing', async (url, why) => {
    const agentId = await llmAgent();
    const taskId = await finishedTask(agentId);
    const before = await count('a2a_push_configs');
    const { error } = await rpc(agentId, 'CreateTaskPushNotificationConfig', { taskId, url });
    expect(error?.code).toBe(INVALID_PARAMS);
    expect(error?.message).toMatch(/^url: /);
    expect(error?.message).toContain(why);
    expect(await count('a2a_push_configs')).toBe(before);
  });

  it('refuses a SendMessage whose config names an internal webhook, recording no task', async () => {
    const agentId = await llmAgent();
    const before = await count('a2a_tasks');
    const { error } = await rpc(agentId, 'SendMessage', {
      message: message(),
      configuration: { taskPushNotificationConfig: { url: 'https://10.0.0.1/hook' } },
    });
    expect(error?.code).toBe(INVALID_PARAMS);
    expect(error?.message).toContain('configuration.taskPushNotificationConfig.url: 10.0.0.1');
    expect(await count('a2a_tasks')).toBe(before);
  });

  it.each([
    [{ url: 'http://93.184.215.14/hook' }, 'url: expected an https URL'],
    [{ url: 'https://user:pw@93.184.215.14/hook' }, 'url: must not carry credentials'],
    [{ url: `https://93.184.215.14/${'a'.repeat(2100)}` }, 'url: at most 2048 characters'],
    [{ url: 'https://93.184.215.14/h', token: 't'.repeat(513) }, 'token: at most 512 characters'],
    [{ url: 'https://93.184.215.14/h', token: 'a\nb' }, 'token: printable ASCII'],
    [
      { url: 'https://93.184.215.14/h', authentication: { scheme: 'Basic' } },
      'authentication.credentials: required for Basic',
    ],
    [
      {
        url: 'https://93.184.215.14/h',
        authentication: { scheme: 'Bad Scheme', credentials: 'x' },
      },
      'authentication.scheme: an HTTP authentication scheme',
    ],
  ])('refuses a malformed config %j, naming the field', async (config, reason) => {
    const agentId = await llmAgent();
    const taskId = await finishedTask(agentId);
    const { error } = await rpc(agentId, 'CreateTaskPushNotificationConfig', {
      taskId,
      ...config,
    });
    expect(error?.code).toBe(INVALID_PARAMS);
    expect(error?.message).toContain(reason);
  });

  it(`keeps at most ${MAX_PUSH_CONFIGS_PER_TASK} configs per task; replacing one of them is fine`, async () => {
    const agentId = await llmAgent();
    const taskId = await finishedTask(agentId);
    for (let i = 0; i < MAX_PUSH_CONFIGS_PER_TASK; i++) {
      const { result } = await rpc(agentId, 'CreateTaskPushNotificationConfig', {
        taskId,
        id: `c${i}`,
        url: `https://93.184.215.14/hook/${i}`,
      });
      expect(result?.id).toBe(`c${i}`);
    }
    const over = await rpc(agentId, 'CreateTaskPushNotificationConfig', {
      taskId,
      url: 'https://93.184.215.14/hook/more',
    });
    expect(over.error?.code).toBe(INVALID_PARAMS);
    expect(over.error?.message).toContain(
      `has ${MAX_PUSH_CONFIGS_PER_TASK} push notification configs`,
    );
    const replaced = await rpc(agentId, 'CreateTaskPushNotificationConfig', {
      taskId,
      id: 'c0',
      url: 'https://93.184.215.14/hook/new',
    });
    expect(replaced.result?.url).toBe('https://93.184.215.14/hook/new');
  });

  it('answers a config for an unknown task with task not found', async () => {
    const agentId = await llmAgent();
    const { error } = await rpc(agentId, 'CreateTaskPushNotificationConfig', {
      taskId: randomUUID(),
      url: 'https://93.184.215.14/hook',
    });
    expect(error?.code).toBe(-32001);
  });

  it('says so on the card and serves the verifying key in public, without its private part', async () => {
    const agentId = await llmAgent();
    const card = await running.orchestrator.app.request(
      `/a2a/agents/${agentId}/.well-known/agent-card.json`,
    );
    expect(((await card.json()) as { capabilities: unknown }).capabilities).toMatchObject({
      pushNotifications: true,
    });
    const res = await running.orchestrator.app.request('/a2a/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const { keys } = (await res.json()) as { keys: Record<string, string>[] };
    expect(keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' }),
    ]);
    expect(keys[0]).not.toHaveProperty('d');
  });
});

describe('PUSH_ALLOW_PRIVATE_ADDRESSES', () => {
  it.each(['staging', 'production'])('is refused on %s, naming it', (environment) => {
    const { env } = serviceDefinition('agent-orchestrator');
    expect(() =>
      loadConfig('agent-orchestrator', env, {
        ENVIRONMENT: environment,
        PUSH_ALLOW_PRIVATE_ADDRESSES: 'true',
      }),
    ).toThrow(`PUSH_ALLOW_PRIVATE_ADDRESSES: must not be true when ENVIRONMENT is ${environment}`);
  });
});
