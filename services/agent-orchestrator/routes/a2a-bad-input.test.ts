import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { inProcessFetch } from '../../platform/a2a/testing/client.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';

const running = useRunningOrchestrator('a2a_bad');

const ORIGIN = 'http://running.orchestrator.test';

const echoAgent = async () => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { name: 'Echo', description: 'Echoes', runtime: { kind: 'tool', tool: 'echo' } },
  });
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};

/** Sends `body` as is to the agent's endpoint as user:ada; answers the status and JSON. */
async function post(agentId: string, body: string) {
  const response = await inProcessFetch(running.orchestrator.app)(
    `${ORIGIN}/a2a/agents/${agentId}`,
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'A2A-Version': '1.0',
        Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
      },
      body,
    },
  );
  const text = await response.text();
  return {
    status: response.status,
    body: (text ? JSON.parse(text) : {}) as {
      error?: { code: number; message: string };
      result?: { task?: { id: string; status: { state: string } }; status?: { state: string } };
    },
  };
}
const rpc = (method: string, params: unknown) =>
  JSON.stringify({ jsonrpc: '2.0', id: 1, method, params });
const message = (text: string) => ({
  message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
});
const counts = async () =>
  (
    await running.sql<{ tasks: number; jobs: number }[]>`
      select (select count(*)::int from a2a_tasks) as tasks,
             (select count(*)::int from pgboss.job) as jobs`
  )[0];

describe("bad input at an agent's A2A endpoint gets the spec's error and changes nothing", () => {
  it('malformed JSON, a request that is not JSON-RPC, an unknown method', async () => {
    const agent = await echoAgent();
    const before = await counts();
    expect((await post(agent, '{"jsonrpc": "2.0", "method": ')).body.error?.code).toBe(-32700);
    expect((await post(agent, JSON.stringify({ hello: 'world' }))).body.error?.code).toBe(-32600);
    expect((await post(agent, rpc('message/teleport', message('x')))).body.error?.code).toBe(
      -32601,
    );
    expect(
      (await post(agent, rpc('SendMessage', { message: { role: 'ROLE_USER' } }))).body.error?.code,
    ).toBe(-32602);
    expect(await counts()).toEqual(before);
  });

  it('malformed evidence fields (skill, task_type, strategy), each named', async () => {
    const agent = await echoAgent();
    const before = await counts();
    for (const [metadata, field] of [
      [{ skill: '' }, 'metadata.skill'],
      [{ skill: 7 }, 'metadata.skill'],
      [{ task_type: 'x'.repeat(201) }, 'metadata.task_type'],
      [{ strategy: 'best-one' }, 'metadata.strategy'],
    ] as const) {
      const { body } = await post(agent, rpc('SendMessage', { ...message('x'), metadata }));
      expect(body.error?.code).toBe(-32602);
      expect(body.error?.message).toContain(field);
    }
    expect(await counts()).toEqual(before);
    // Well formed, they are kept on the task for its run's evidence.
    const strategy = randomUUID();
    const { body } = await post(
      agent,
      rpc('SendMessage', {
        ...message('x'),
        metadata: { skill: 'forecasting', task_type: 'forecast', strategy },
      }),
    );
    const id = body.result?.task?.id;
    const [row] = await running.sql<{ metadata: Record<string, unknown> }[]>`
      select metadata from a2a_tasks where id = ${id ?? ''}`;
    expect(row?.metadata).toMatchObject({ skill: 'forecasting', taskType: 'forecast', strategy });
  });

  it('an oversized message', async () => {
    const agent = await echoAgent();
    const before = await counts();
    const { status, body } = await post(
      agent,
      rpc('SendMessage', message('x'.repeat(8 * 1024 * 1024))),
    );
    expect(status === 413 || body.error?.code === -32600).toBe(true);
    expect(await counts()).toEqual(before);
  });

  it('an unknown task, and a cancel of a finished one', async () => {
    const agent = await echoAgent();
    expect((await post(agent, rpc('GetTask', { id: randomUUID() }))).body.error?.code).toBe(-32001);
    expect((await post(agent, rpc('CancelTask', { id: randomUUID() }))).body.error?.code).toBe(
      -32001,
    );
    const sent = await post(agent, rpc('SendMessage', message('done soon')));
    const task = sent.body.result?.task;
    expect(task?.status.state).toBe('TASK_STATE_COMPLETED');
    const before = await counts();
    const cancel = await post(agent, rpc('CancelTask', { id: task?.id }));
    expect(cancel.body.error?.code).toBe(-32002);
    const after = await post(agent, rpc('GetTask', { id: task?.id }));
    expect(after.body.result?.status?.state).toBe('TASK_STATE_COMPLETED');
    expect(await counts()).toEqual(before);
  });

  it("another caller's task is unknown to it", async () => {
    const agent = await echoAgent();
    const sent = await post(agent, rpc('SendMessage', message('mine')));
    const id = sent.body.result?.task?.id;
    const eve = await inProcessFetch(running.orchestrator.app)(`${ORIGIN}/a2a/agents/${agent}`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'A2A-Version': '1.0',
        Authorization: `Bearer ${await testToken({ subject: 'user:eve', scope: 'agents:write' })}`,
      },
      body: rpc('CancelTask', { id }),
    });
    expect(((await eve.json()) as { error: { code: number } }).error.code).toBe(-32001);
  });
});
