import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import { context, propagation, trace } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { describe, expect, it } from 'vitest';
import { testToken } from '../../../../test/harness/jwt.js';
import { sdkClient } from '../../../platform/a2a/testing/client.js';
import { ledgerAdmin } from '../../testing/ledger-admin.js';
import { useRunningOrchestrator } from '../../testing/running-orchestrator.js';

const running = useRunningOrchestrator('delegation');

const ORIGIN = 'http://running.orchestrator.test';

interface Registered {
  id: string;
  ledger_account_id: string;
}

const register = async (body: Record<string, unknown>): Promise<Registered> => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { description: 'Works in delegation tests', ...body },
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { agent: Registered }).agent;
};

/** A manager (LLM) with two reports (an LLM and an echo tool), the manager funded with `funds`. */
async function team(funds: string | undefined, reportBudget = '2') {
  const manager = await register({
    name: 'Manager',
    runtime: { kind: 'llm', model_class: 'fast', instructions: 'Delegate.' },
    limits: { concurrency: 4, default_budget_aia: '10' },
  });
  const writer = await register({
    name: 'Writer',
    manager_id: manager.id,
    runtime: { kind: 'llm', model_class: 'fast', instructions: 'Write.' },
    limits: { concurrency: 4, default_budget_aia: reportBudget },
  });
  const echo = await register({
    name: 'Echo',
    manager_id: manager.id,
    runtime: { kind: 'tool', tool: 'echo' },
    limits: { concurrency: 4, default_budget_aia: reportBudget },
  });
  if (funds) await ledgerAdmin(running.governor.url).fund(manager.ledger_account_id, funds);
  return { manager, writer, echo };
}

const asAda = async () => ({
  serviceParameters: {
    Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
  },
});

async function send(agentId: string, text: string, extra: Record<string, unknown> = {}) {
  const client = await sdkClient(
    running.orchestrator.app,
    `${ORIGIN}/a2a/agents/${agentId}/.well-known/agent-card.json`,
  );
  const request = SendMessageRequest.fromJSON({
    message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text }] },
    configuration: { returnImmediately: true },
    ...extra,
  });
  return { client, task: (await client.sendMessage(request, await asAda())) as Task };
}

const TERMINAL = [
  'TASK_STATE_COMPLETED',
  'TASK_STATE_FAILED',
  'TASK_STATE_CANCELED',
  'TASK_STATE_REJECTED',
];

/** Waits until task `id` and its whole subtree have ended and every reservation is settled. */
async function settled(id: string) {
  for (let i = 0; i < 300; i++) {
    const [row] = await running.sql<{ open: number; unsettled: number }[]>`
      with recursive tree as (
        select ${id}::text as id
        union all select d.child_task_id from task_delegations d join tree on d.parent_task_id = tree.id)
      select count(*) filter (where t.state <> all(${TERMINAL}::text[]))::int as open,
             (select count(*)::int from task_delegations d join tree on d.child_task_id = tree.id
               where d.reservation_id is not null and d.settlement is null) as unsettled
      from tree join a2a_tasks t on t.id = tree.id`;
    if (row?.open === 0 && row.unsettled === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`task ${id} did not settle`);
}

const taskRow = async (id: string) =>
  (
    await running.sql<
      {
        state: string;
        status: { message?: { parts?: { text?: string }[] } };
        metadata: Record<string, unknown>;
        artifacts: unknown[];
      }[]
    >`
      select state, status, metadata, artifacts from a2a_tasks where id = ${id}`
  )[0];

const childrenOf = (id: string) =>
  running.sql<
    {
      child_task_id: string;
      child_agent_id: string;
      budget_aia: string;
      reservation_id: string | null;
      settlement: string | null;
      state: string;
    }[]
  >`
    select d.child_task_id, d.child_agent_id, trim_scale(d.budget_aia)::text as budget_aia, d.reservation_id,
           d.settlement, t.state
    from task_delegations d join a2a_tasks t on t.id = d.child_task_id
    where d.parent_task_id = ${id} order by d.position`;

const account = (id: string) => ledgerAdmin(running.governor.url).client.account(id);

describe('delegation down the agent hierarchy', () => {
  it('runs a whole delegation tree in one trace, each run a span under the run that delegated it', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    });
    provider.register();
    try {
      const { manager } = await team('30');
      const { task } = await send(manager.id, 'Trace the quarterly review');
      await settled(task.id);
      const children = (await childrenOf(task.id)).map((child) => child.child_task_id);
      const spans = exporter
        .getFinishedSpans()
        .filter((span) =>
          [task.id, ...children].includes(span.attributes['a2a.task.id'] as string),
        );
      const runOf = (id: string) =>
        spans.find((span) => span.name === 'agent.run' && span.attributes['a2a.task.id'] === id);
      const root = runOf(task.id);
      expect(root).toBeDefined();
      expect(new Set(spans.map((span) => span.spanContext().traceId))).toEqual(
        new Set([root?.spanContext().traceId]),
      );
      for (const child of children)
        expect(runOf(child)?.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
      expect(spans.some((span) => span.name === 'agent.combine')).toBe(true);
    } finally {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    }
  });

  it('gives parts to the reports with their budgets reserved, combines their answers, and leaves the books balanced', async () => {
    const { manager, writer, echo } = await team('100');
    const { task } = await send(manager.id, 'Plan the quarterly review');
    await settled(task.id);
    const parent = await taskRow(task.id);
    expect(parent?.state).toBe('TASK_STATE_COMPLETED');
    const children = await childrenOf(task.id);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect([writer.id, echo.id]).toContain(child.child_agent_id);
      expect(child.state).toBe('TASK_STATE_COMPLETED');
      // The local model is free: each reservation is voided, nothing moves.
      expect(child.reservation_id).not.toBeNull();
      expect(child.settlement).toBe('voided');
      expect(Number(child.budget_aia)).toBeGreaterThan(0);
      expect(Number(child.budget_aia)).toBeLessThanOrEqual(2);
    }
    // The parent's artifacts: its own answer, then every child's.
    expect(parent?.artifacts.length).toBeGreaterThan(children.length);
    const manager_ = await account(manager.ledger_account_id);
    expect(manager_).toMatchObject({ balance: '100', debits_pending: '0' });
    // The sender reads the whole tree with its states and reservations; another caller cannot.
    const tree = await running.orchestrator.call('GET', `/tasks/${task.id}/tree`, {
      as: 'user:ada',
    });
    expect(tree.status).toBe(200);
    const { tasks } = (await tree.json()) as {
      tasks: {
        task_id: string;
        depth: number;
        state: string;
        reservation: { state: string } | null;
      }[];
    };
    expect(tasks[0]).toMatchObject({
      task_id: task.id,
      depth: 0,
      state: 'completed',
      reservation: null,
    });
    expect(
      tasks
        .slice(1)
        .map((t) => t.task_id)
        .sort(),
    ).toEqual(children.map((c) => c.child_task_id).sort());
    expect(tasks.slice(1).every((t) => t.depth === 1 && t.reservation?.state === 'voided')).toBe(
      true,
    );
    expect(
      (await running.orchestrator.call('GET', `/tasks/${task.id}/tree`, { as: 'user:eve' })).status,
    ).toBe(404);
    // Every reservation is a pending transfer the ledger knows, ended by a void.
    const reservation = await ledgerAdmin(running.governor.url).client.getTransfer(
      children[0]?.reservation_id as string,
    );
    expect(reservation).toMatchObject({
      amount: children[0]?.budget_aia,
      debit_account_id: manager.ledger_account_id,
    });
  });

  it('delegates to agents found by a skill the sender asks for, outside its own reports', async () => {
    const loner = await register({
      name: 'Loner',
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Find help.' },
      limits: { concurrency: 4, default_budget_aia: '6' },
    });
    const tag = `forecasting-${randomUUID().slice(0, 8)}`;
    const specialist = await register({
      name: 'Forecaster',
      skills: [{ id: 'forecast', name: 'Forecasts', description: 'Forecasts', tags: [tag] }],
      runtime: { kind: 'tool', tool: 'echo' },
      limits: { concurrency: 4, default_budget_aia: '1' },
    });
    await ledgerAdmin(running.governor.url).fund(loner.ledger_account_id, '10');
    const { task: alone } = await send(loner.id, 'Forecast next quarter');
    await settled(alone.id);
    expect(await childrenOf(alone.id)).toEqual([]);
    const { task } = await send(loner.id, 'Forecast next quarter', { metadata: { skills: [tag] } });
    await settled(task.id);
    const children = await childrenOf(task.id);
    expect(children.length).toBeGreaterThan(0);
    expect(children.every((child) => child.child_agent_id === specialist.id)).toBe(true);
    expect((await taskRow(task.id))?.state).toBe('TASK_STATE_COMPLETED');
    expect((await taskRow(children[0]?.child_task_id as string))?.metadata.depth).toBe(1);
  });

  it('rejects the task when its agent cannot fund every child, and releases what it reserved', async () => {
    // 3 AIA: the first child's 2 AIA reservation is made, the second is refused.
    const { manager } = await team('3');
    const { task } = await send(manager.id, 'Plan the quarterly review');
    await settled(task.id);
    const parent = await taskRow(task.id);
    expect(parent?.state).toBe('TASK_STATE_REJECTED');
    expect(parent?.status.message?.parts?.[0]?.text).toMatch(/cannot delegate: .*available/);
    expect(await childrenOf(task.id)).toEqual([]);
    // The reservation made before the refusal is released: nothing pending, nothing moved.
    for (let i = 0; i < 100; i++) {
      if ((await account(manager.ledger_account_id)).debits_pending === '0') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await account(manager.ledger_account_id)).toMatchObject({
      balance: '3',
      debits_pending: '0',
    });
  });

  it("lets only an agent's owner give a task more than the agent's default budget", async () => {
    const { manager } = await team('5');
    const refused = await send(manager.id, 'Spend it all', {
      metadata: { budget_aia: '11' },
    }).catch((error: Error) => error);
    expect(refused).toBeInstanceOf(Error);
    expect((refused as Error).message).toContain('metadata.budget_aia');
    const { task } = await send(manager.id, 'Within the default', {
      metadata: { budget_aia: '10' },
    });
    expect(task.metadata?.budget_aia).toBe('10');
  });

  it('cancels the whole subtree when the parent is canceled, and voids every reservation', async () => {
    // The tree runs on fast local runtimes: on a loaded machine it can finish before the cancel
    // arrives (TaskNotCancelable, "has finished"). Such a round proves nothing; a new tree is
    // tried, a few times at most, and the assertions run on the first round the cancel reached.
    for (let round = 1; ; round++) {
      const { manager, writer } = await team('50');
      await register({
        name: 'Slow',
        manager_id: writer.id,
        runtime: { kind: 'tool', tool: 'echo' },
        limits: { concurrency: 1, default_budget_aia: '1' },
      });
      await ledgerAdmin(running.governor.url).fund(writer.ledger_account_id, '10');
      const { client, task } = await send(manager.id, 'Plan the quarterly review');
      // Wait until the manager has delegated, then cancel it.
      for (let i = 0; i < 200 && (await childrenOf(task.id)).length === 0; i++)
        await new Promise((resolve) => setTimeout(resolve, 50));
      const canceled = await client
        .cancelTask({ tenant: '', id: task.id, metadata: {} }, await asAda())
        .catch((error: Error) => {
          if (round < 5 && /has finished/.test(error.message)) return undefined;
          throw error;
        });
      if (!canceled) continue;
      expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
      await settled(task.id);
      for (const child of await childrenOf(task.id)) {
        expect(['TASK_STATE_CANCELED', 'TASK_STATE_COMPLETED']).toContain(child.state);
        if (child.state === 'TASK_STATE_CANCELED') expect(child.settlement).toBe('voided');
      }
      expect(await account(manager.ledger_account_id)).toMatchObject({
        balance: '50',
        debits_pending: '0',
      });
      expect(await account(writer.ledger_account_id)).toMatchObject({
        balance: '10',
        debits_pending: '0',
      });
      return;
    }
  });

  it("publishes each task's progress: every state change once, in order, naming its parent", async () => {
    const { manager } = await team('20');
    const { task } = await send(manager.id, 'Summarise the ledger again');
    await settled(task.id);
    const children = (await childrenOf(task.id)).map((child) => child.child_task_id);
    const progress = await running.sql<
      {
        payload: {
          task_id: string;
          state: string;
          previous_state: string;
          parent_task_id: string | null;
        };
      }[]
    >`
      select payload from outbox
      where topic = 'aia.agents.progress.v1' and payload->>'task_id' = any(${[task.id, ...children]}::text[])
      order by id`;
    const of = (id: string) => progress.map((row) => row.payload).filter((p) => p.task_id === id);
    // The manager works, waits for its reports, and completes; each report works and completes.
    expect(of(task.id).map((p) => `${p.previous_state}>${p.state}`)).toEqual([
      'submitted>working',
      'working>completed',
    ]);
    expect(of(task.id).every((p) => p.parent_task_id === null)).toBe(true);
    expect(children.length).toBeGreaterThan(0);
    for (const child of children) {
      expect(of(child).map((p) => p.state)).toEqual(['working', 'completed']);
      expect(of(child).every((p) => p.parent_task_id === task.id)).toBe(true);
    }
  });

  it('publishes one task event per task and one run event per finished task', async () => {
    const { manager } = await team('20');
    const { task } = await send(manager.id, 'Summarise the ledger');
    await settled(task.id);
    const ids = [task.id, ...(await childrenOf(task.id)).map((child) => child.child_task_id)];
    const events = await running.sql<
      {
        topic: string;
        payload: { task_id: string; outcome?: string; parent_task_id?: string | null };
      }[]
    >`
      select topic, payload from outbox where payload->>'task_id' = any(${ids}::text[])`;
    for (const id of ids) {
      expect(
        events.filter((e) => e.topic === 'aia.agents.tasks.v1' && e.payload.task_id === id),
      ).toHaveLength(1);
      const runs = events.filter(
        (e) => e.topic === 'aia.agents.runs.v1' && e.payload.task_id === id,
      );
      expect(runs).toHaveLength(1);
      expect(runs[0]?.payload.outcome).toBe('succeeded');
      expect(runs[0]?.payload.parent_task_id).toBe(id === task.id ? null : task.id);
    }
  });
});
