import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import {
  JsonRpcRequestMalformedError,
  JsonRpcTaskNotFoundError,
  JsonRpcUnsupportedOperationError,
} from '@a2a-js/sdk/errors';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../test/harness/jwt.js';
import { sdkClient } from '../../platform/a2a/testing/client.js';
import { ledgerAdmin } from '../testing/ledger-admin.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';
import { ASKING_QUESTION, useScriptedA2aAgent } from '../testing/scripted-a2a-agent.js';

// Remote agents here are on loopback.
const running = useRunningOrchestrator('input', { env: { PUSH_ALLOW_PRIVATE_ADDRESSES: 'true' } });
const scripted = useScriptedA2aAgent();

const ORIGIN = 'http://running.orchestrator.test';

const register = async (body: Record<string, unknown>) => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { description: 'Works in input-required tests', ...body },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: { id: string; ledger_account_id: string } }).agent;
};
const askingAgent = (managerId?: string) =>
  register({
    name: `Asker ${randomUUID().slice(0, 8)}`,
    runtime: { kind: 'remote', card_url: scripted.askingCardUrl },
    limits: { concurrency: 2, default_budget_aia: '1' },
    ...(managerId && { manager_id: managerId }),
  });

const asAda = async () => ({
  serviceParameters: {
    Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
  },
});
const clientOf = (agentId: string) =>
  sdkClient(
    running.orchestrator.app,
    `${ORIGIN}/a2a/agents/${agentId}/.well-known/agent-card.json`,
  );

const message = (text: string, extra: Record<string, unknown> = {}) =>
  SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }], ...extra },
    configuration: { returnImmediately: true },
  });

/** Reads task `id` until `done` holds for it. */
async function until(agentId: string, id: string, done: (task: Task) => boolean): Promise<Task> {
  const client = await clientOf(agentId);
  for (let i = 0; i < 300; i++) {
    const task = await client.getTask({ tenant: '', id, historyLength: 50 }, await asAda());
    if (done(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`task ${id} never reached the expected state`);
}
const inState = (state: TaskState) => (task: Task) => task.status?.state === state;
const statusText = (task: Task) =>
  (task.status?.message?.parts ?? [])
    .map((part) => (part.content?.$case === 'text' ? part.content.value : ''))
    .join('');
const texts = (task: Task) =>
  task.artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );

/** The JSON-RPC error a send gets. */
const refusal = async (agentId: string, request: SendMessageRequest, as = asAda) => {
  const client = await clientOf(agentId);
  const error = await client.sendMessage(request, await as()).then(
    () => undefined,
    (e: unknown) => e as Error,
  );
  expect(error).toBeInstanceOf(Error);
  return error as Error;
};

describe('a task that asks its sender for input', () => {
  it('waits in input-required with the question, then a message naming it resumes and completes it', async () => {
    const asker = await askingAgent();
    const client = await clientOf(asker.id);
    const sent = (await client.sendMessage(message('paint the shed'), await asAda())) as Task;
    const asked = await until(asker.id, sent.id, inState(TaskState.TASK_STATE_INPUT_REQUIRED));
    expect(statusText(asked)).toBe(ASKING_QUESTION);

    const answer = message('green', { taskId: sent.id });
    const resumed = (await client.sendMessage(answer, await asAda())) as Task;
    expect(resumed.id).toBe(sent.id);
    expect(resumed.status?.state).toBe(TaskState.TASK_STATE_WORKING);
    const done = await until(asker.id, sent.id, inState(TaskState.TASK_STATE_COMPLETED));
    expect(texts(done)).toEqual(['colour: green']);
    // The answer is in the task's history, once, even when it is sent again.
    const again = (await client.sendMessage(answer, await asAda())) as Task;
    expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    const ids = (await until(asker.id, sent.id, () => true)).history.map((m) => m.messageId);
    expect(ids.filter((id) => id === answer.message?.messageId)).toHaveLength(1);
    // One run per round: the first asked, the second answered.
    const [runs] = await running.sql<{ count: number }[]>`
      select count(*)::int as count from pgboss.job where data->>'taskId' = ${sent.id}`;
    expect(runs?.count).toBe(2);
  });

  it('refuses a message to an unknown task, an ended task, a working task, or in another context, changing nothing', async () => {
    const asker = await askingAgent();
    const client = await clientOf(asker.id);
    expect(await refusal(asker.id, message('hello', { taskId: randomUUID() }))).toBeInstanceOf(
      JsonRpcTaskNotFoundError,
    );

    const sent = (await client.sendMessage(message('paint the gate'), await asAda())) as Task;
    await until(asker.id, sent.id, inState(TaskState.TASK_STATE_INPUT_REQUIRED));
    const other = await refusal(
      asker.id,
      message('red', { taskId: sent.id, contextId: randomUUID() }),
    );
    expect(other).toBeInstanceOf(JsonRpcRequestMalformedError);
    expect(other.message).toMatch(/message\.contextId/);
    await client.sendMessage(message('red', { taskId: sent.id }), await asAda());
    await until(asker.id, sent.id, inState(TaskState.TASK_STATE_COMPLETED));
    const ended = await refusal(asker.id, message('blue', { taskId: sent.id }));
    expect(ended).toBeInstanceOf(JsonRpcUnsupportedOperationError);
    expect(ended.message).toMatch(/has ended \(completed\)/);
    const task = await until(asker.id, sent.id, () => true);
    expect(texts(task)).toEqual(['colour: red']);

    // Working, not asking: no message taken.
    const worker = await register({
      name: `Worker ${randomUUID().slice(0, 8)}`,
      runtime: { kind: 'remote', card_url: scripted.cardUrl },
    });
    const busy = (await (
      await clientOf(worker.id)
    ).sendMessage(message('wait'), await asAda())) as Task;
    await until(worker.id, busy.id, inState(TaskState.TASK_STATE_WORKING));
    const working = await refusal(worker.id, message('hurry', { taskId: busy.id }));
    expect(working).toBeInstanceOf(JsonRpcUnsupportedOperationError);
    expect(working.message).toMatch(/is working; a task takes another message only when it asks/);
    const history = (await until(worker.id, busy.id, () => true)).history;
    expect(history.map((m) => m.parts.map((p) => p.content?.value))).toEqual([['wait']]);
    await (await clientOf(worker.id)).cancelTask(
      { tenant: '', id: busy.id, metadata: {} },
      await asAda(),
    );

    // Another caller's task is unknown to this one.
    const asEve = async () => ({
      serviceParameters: {
        Authorization: `Bearer ${await testToken({ subject: 'user:eve', scope: 'agents:write' })}`,
      },
    });
    expect(await refusal(asker.id, message('yellow', { taskId: sent.id }), asEve)).toBeInstanceOf(
      JsonRpcTaskNotFoundError,
    );
  });

  it("takes a delegating parent into input-required with its child's question, and the parent's sender answers it", async () => {
    const manager = await register({
      name: `Manager ${randomUUID().slice(0, 8)}`,
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Delegate the painting.' },
      limits: { concurrency: 4, default_budget_aia: '5' },
    });
    const asker = await askingAgent(manager.id);
    await ledgerAdmin(running.governor.url).fund(manager.ledger_account_id, '20');
    const client = await clientOf(manager.id);
    const sent = (await client.sendMessage(
      message('Plan the quarterly review'),
      await asAda(),
    )) as Task;
    const waiting = await until(manager.id, sent.id, (task) =>
      [TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_COMPLETED].includes(
        task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED,
      ),
    );
    expect(waiting.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
    expect(statusText(waiting)).toMatch(
      new RegExp(
        `^delegated task [0-9a-f-]{36} \\(agent ${asker.id}\\) asks: ${ASKING_QUESTION.replace('?', '\\?')}$`,
      ),
    );
    const tree = await running.orchestrator.call('GET', `/tasks/${sent.id}/tree`, {
      as: 'user:ada',
    });
    const { tasks } = (await tree.json()) as { tasks: { depth: number; state: string }[] };
    expect(tasks[0]?.state).toBe('input-required');
    expect(tasks.some((task) => task.depth === 1 && task.state === 'input-required')).toBe(true);
    const children = await running.sql<{ child_task_id: string }[]>`
      select child_task_id from task_delegations where parent_task_id = ${sent.id} order by position`;
    expect(children.length).toBeGreaterThan(0);
    // Every child asks in turn: the parent answers each question its sender is shown.
    for (let round = 0; round < children.length; round++) {
      const now = await until(manager.id, sent.id, (task) =>
        [TaskState.TASK_STATE_INPUT_REQUIRED, TaskState.TASK_STATE_COMPLETED].includes(
          task.status?.state ?? TaskState.TASK_STATE_UNSPECIFIED,
        ),
      );
      if (now.status?.state === TaskState.TASK_STATE_COMPLETED) break;
      await client.sendMessage(message(`blue ${round}`, { taskId: sent.id }), await asAda());
    }
    const done = await until(manager.id, sent.id, inState(TaskState.TASK_STATE_COMPLETED));
    const [answers] = await running.sql<{ states: string[]; answers: string[] }[]>`
      select array_agg(t.state) as states,
             array_agg(t.artifacts #>> '{0,parts,0,text}') as answers
      from task_delegations d join a2a_tasks t on t.id = d.child_task_id
      where d.parent_task_id = ${sent.id}`;
    expect(new Set(answers?.states)).toEqual(new Set(['TASK_STATE_COMPLETED']));
    for (const text of answers?.answers ?? []) expect(text).toMatch(/^colour: blue \d$/);
    // The children's answers are among the parent's artifacts.
    expect(texts(done).filter((text) => text.startsWith('colour: blue'))).toHaveLength(
      children.length,
    );
    const account = await ledgerAdmin(running.governor.url).client.account(
      manager.ledger_account_id,
    );
    expect(account).toMatchObject({ debits_pending: '0' });
  });

  it('cancels a waiting parent with its waiting child, voiding the reservation', async () => {
    const manager = await register({
      name: `Manager ${randomUUID().slice(0, 8)}`,
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Delegate the painting.' },
      limits: { concurrency: 4, default_budget_aia: '5' },
    });
    await askingAgent(manager.id);
    await ledgerAdmin(running.governor.url).fund(manager.ledger_account_id, '20');
    const client = await clientOf(manager.id);
    const sent = (await client.sendMessage(
      message('Plan the quarterly review'),
      await asAda(),
    )) as Task;
    await until(manager.id, sent.id, inState(TaskState.TASK_STATE_INPUT_REQUIRED));
    const canceled = await client.cancelTask(
      { tenant: '', id: sent.id, metadata: {} },
      await asAda(),
    );
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    for (let i = 0; i < 100; i++) {
      const [row] = await running.sql<{ open: number; unsettled: number }[]>`
        select count(*) filter (where t.state <> 'TASK_STATE_CANCELED')::int as open,
               count(*) filter (where d.settlement is null)::int as unsettled
        from task_delegations d join a2a_tasks t on t.id = d.child_task_id
        where d.parent_task_id = ${sent.id}`;
      if (row?.open === 0 && row.unsettled === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const [row] = await running.sql<{ states: string[]; settlements: string[] }[]>`
      select array_agg(t.state) as states, array_agg(d.settlement) as settlements
      from task_delegations d join a2a_tasks t on t.id = d.child_task_id
      where d.parent_task_id = ${sent.id}`;
    expect(new Set(row?.states)).toEqual(new Set(['TASK_STATE_CANCELED']));
    expect(new Set(row?.settlements)).toEqual(new Set(['voided']));
    // The remote tasks the children were waiting on are canceled too (no attempt was running).
    const remotes = await running.sql<{ remote: string }[]>`
      select t.metadata #>> '{remote,task_id}' as remote
      from task_delegations d join a2a_tasks t on t.id = d.child_task_id
      where d.parent_task_id = ${sent.id}`;
    expect(remotes.length).toBeGreaterThan(0);
    for (const { remote } of remotes) {
      let state: string | undefined;
      for (let i = 0; i < 100 && state !== 'TASK_STATE_CANCELED'; i++) {
        const res = await fetch(`${scripted.url}/asking/a2a`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'a2a-version': '1.0' },
          body: JSON.stringify({
            jsonrpc: '2.0',
            id: 1,
            method: 'GetTask',
            params: { id: remote },
          }),
        });
        state = ((await res.json()) as { result?: { status?: { state?: string } } }).result?.status
          ?.state;
        if (state !== 'TASK_STATE_CANCELED') await new Promise((r) => setTimeout(r, 100));
      }
      expect(state).toBe('TASK_STATE_CANCELED');
    }
    expect(await refusal(manager.id, message('too late', { taskId: sent.id }))).toBeInstanceOf(
      JsonRpcUnsupportedOperationError,
    );
  });
});
