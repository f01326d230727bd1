import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { inProcessFetch, sdkClient } from '../../platform/a2a/testing/client.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';

const running = useRunningOrchestrator('a2a');

const ORIGIN = 'http://running.orchestrator.test';
const register = async (runtime: Record<string, unknown>) => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { name: 'Helper', description: 'Helps in tests', runtime },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: { id: string } }).agent;
};
const llmAgent = () =>
  register({ kind: 'llm', model_class: 'fast', instructions: 'Answer briefly.' });
const clientOf = (agentId: string) =>
  sdkClient(
    running.orchestrator.app,
    `${ORIGIN}/a2a/agents/${agentId}/.well-known/agent-card.json`,
  );
const asAda = async () => ({
  serviceParameters: {
    Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
  },
});
const message = (text: string, extra: Record<string, unknown> = {}) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
    ...extra,
  });
const textOf = (task: Task) =>
  task.artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );
const runs = async (outcome: string) => {
  const metric = await running.orchestrator.registry.getSingleMetric('agent_runs_total')?.get();
  return metric?.values.find((v) => v.labels.outcome === outcome)?.value ?? 0;
};
const rawCall = async (agentId: string, method: string, params: unknown, token?: string) =>
  inProcessFetch(running.orchestrator.app)(`${ORIGIN}/a2a/agents/${agentId}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'A2A-Version': '1.0',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  });
const taskCount = async () =>
  (await running.sql<{ n: number }[]>`select count(*)::int as n from a2a_tasks`)[0]?.n;

describe("an agent's A2A endpoint", () => {
  it('runs a blocking SendMessage on the LLM runtime to a completed task with the answer and its cost', async () => {
    const agent = await llmAgent();
    const before = await runs('succeeded');
    const client = await clientOf(agent.id);
    const task = (await client.sendMessage(message('What is 2 + 2?'), await asAda())) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task).join('')).not.toBe('');
    expect(task.metadata?.cost).toEqual({ aia: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(task.metadata?.model).toMatchObject({ local: true });
    expect(await runs('succeeded')).toBe(before + 1);
    // Read from pg-boss at scrape time: nothing queued or running once the run finished.
    const depth = await running.orchestrator.registry
      .getSingleMetric('agent_run_queue_depth')
      ?.get();
    expect(depth?.values[0]?.value).toBe(0);
    // This replica's worker made the attempt; pg-boss's counts are published by state.
    const attempts = await running.orchestrator.registry
      .getSingleMetric('agent_run_attempts_total')
      ?.get();
    const completed = attempts?.values.find(
      (v) => v.labels.step === 'run' && v.labels.result === 'completed',
    );
    expect(completed?.value).toBeGreaterThanOrEqual(1);
    const jobs = await running.orchestrator.registry.getSingleMetric('agent_run_jobs')?.get();
    expect(jobs?.values.map((v) => v.labels.state).sort()).toEqual([
      'active',
      'deferred',
      'queued',
    ]);
    const [row] = await running.sql<{ agent_id: string; owner: string }[]>`
      select agent_id, owner from a2a_tasks where id = ${task.id}`;
    expect(row).toEqual({ agent_id: agent.id, owner: 'user:ada' });
  });

  it('answers a non-blocking SendMessage at once; GetTask then reads it until completed', async () => {
    const agent = await llmAgent();
    const client = await clientOf(agent.id);
    const sent = (await client.sendMessage(
      message('Say hello', { configuration: { returnImmediately: true } }),
      await asAda(),
    )) as Task;
    expect([TaskState.TASK_STATE_SUBMITTED, TaskState.TASK_STATE_WORKING]).toContain(
      sent.status?.state,
    );
    let task = sent;
    for (let i = 0; i < 100 && task.status?.state !== TaskState.TASK_STATE_COMPLETED; i++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      task = await client.getTask(
        { tenant: '', id: sent.id, historyLength: undefined },
        await asAda(),
      );
    }
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(task).join('')).not.toBe('');
  });

  it('names the same task when a SendMessage is retried, and runs it once', async () => {
    const agent = await llmAgent();
    const client = await clientOf(agent.id);
    const request = message('Once only');
    const first = (await client.sendMessage(request, await asAda())) as Task;
    const before = await runs('succeeded');
    const again = (await client.sendMessage(request, await asAda())) as Task;
    expect(again.id).toBe(first.id);
    expect(again.artifacts).toEqual(first.artifacts);
    expect(await runs('succeeded')).toBe(before);
  });

  it('runs a tool agent: echo answers with the task text, at no cost', async () => {
    const agent = await register({ kind: 'tool', tool: 'echo' });
    const client = await clientOf(agent.id);
    const task = (await client.sendMessage(message('say this back'), await asAda())) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const part = task.artifacts[0]?.parts[0]?.content;
    expect(part?.$case === 'text' && part.value).toBe('say this back');
    expect(task.metadata?.cost).toEqual({ aia: '0' });
  });

  it('lets an LLM agent call its platform tools during its run', async () => {
    const agent = await register({
      kind: 'llm',
      model_class: 'fast',
      instructions: 'Check the books.',
      tools: ['ledger-balance'],
    });
    const client = await clientOf(agent.id);
    const task = (await client.sendMessage(
      message('How much AIA do you hold?'),
      await asAda(),
    )) as Task;
    expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(task.metadata?.tool_calls).toEqual(['ledger_balance']);
    // The tool read the agent's own account, and the model saw what it answered.
    const { ledger_account_id } = (
      (await (await running.orchestrator.call('GET', `/agents/${agent.id}`)).json()) as {
        agent: { ledger_account_id: string };
      }
    ).agent;
    expect(textOf(task).join('')).toContain(ledger_account_id);
  });

  it('refuses an LLM agent tool that does not exist, naming runtime.tools', async () => {
    const res = await running.orchestrator.call('POST', '/agents', {
      body: {
        name: 'Bad',
        description: 'x',
        runtime: { kind: 'llm', tools: ['ledger-balance', 'teleport'] },
      },
    });
    expect(res.status).toBe(422);
    expect(JSON.stringify(await res.json())).toContain('runtime.tools.1');
  });

  it('refuses a budget that is not AIA, naming metadata.budget_aia, and stores nothing', async () => {
    const agent = await register({ kind: 'tool', tool: 'echo' });
    const token = await testToken({ subject: 'user:ada', scope: 'agents:write' });
    const before = await taskCount();
    for (const budget of ['-1', '1e3', 12]) {
      const params = {
        message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'x' }] },
        metadata: { budget_aia: budget },
      };
      const response = await rawCall(agent.id, 'SendMessage', params, token);
      const body = (await response.json()) as { error?: { code: number; message: string } };
      expect(body.error?.message).toContain('metadata.budget_aia');
    }
    expect(await taskCount()).toBe(before);
  });

  it('is a 404 for a retired or unknown agent, and stores nothing', async () => {
    const agent = await llmAgent();
    expect((await running.orchestrator.call('POST', `/agents/${agent.id}/retire`)).status).toBe(
      200,
    );
    const token = await testToken({ subject: 'user:ada', scope: 'agents:write' });
    const before = await taskCount();
    const params = {
      message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'x' }] },
    };
    expect((await rawCall(agent.id, 'SendMessage', params, token)).status).toBe(404);
    expect((await rawCall(randomUUID(), 'SendMessage', params, token)).status).toBe(404);
    expect((await rawCall('not-an-id', 'SendMessage', params, token)).status).toBe(404);
    expect(await taskCount()).toBe(before);
  });

  it('answers a raw JSON-RPC SendMessage (as with curl) with the task', async () => {
    const agent = await llmAgent();
    const token = await testToken({ subject: 'user:ada', scope: 'agents:write' });
    const message = { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] };
    const res = await rawCall(agent.id, 'SendMessage', { message }, token);
    const body = (await res.json()) as {
      result: { task: { id: string; status: { state: string } } };
    };
    expect(body.result.task.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('needs a bearer token', async () => {
    const agent = await llmAgent();
    const params = {
      message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'x' }] },
    };
    expect((await rawCall(agent.id, 'SendMessage', params)).status).toBe(401);
  });
});
