import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ledgerAdmin } from '../../services/agent-orchestrator/testing/ledger-admin.js';
import { useRunningOrchestrator } from '../../services/agent-orchestrator/testing/running-orchestrator.js';
import { testToken } from '../../test/harness/jwt.js';
import { SEED_AGENTS, SEED_OWNER, seedAgents } from './seed-agents.js';

const running = useRunningOrchestrator('seed');

const targets = () => ({
  orchestrator: (path: string, init: RequestInit) =>
    Promise.resolve(running.orchestrator.app.request(`/v1${path}`, init)),
  governor: (path: string, init: RequestInit) => fetch(`${running.governor.url}/v1${path}`, init),
  token: (subject: string, scope: string) => testToken({ subject, scope }),
});

describe('the local default agents', () => {
  it('are registered and funded once, however often npm start runs', async () => {
    const first = await seedAgents(targets());
    const again = await seedAgents(targets());
    expect(Object.keys(first).sort()).toEqual(SEED_AGENTS.map((agent) => agent.key).sort());
    for (const key of Object.keys(first)) expect(again[key]?.id).toBe(first[key]?.id);
    const admin = ledgerAdmin(running.governor.url).client;
    expect((await admin.account(first.chief?.ledger_account_id as string)).balance).toBe('1000');
    expect((await admin.account(first.research?.ledger_account_id as string)).balance).toBe('200');
    const reports = await running.orchestrator.call('GET', `/agents/${first.chief?.id}/reports`, {
      as: SEED_OWNER,
    });
    const { reports: tree } = (await reports.json()) as {
      reports: { name: string; depth: number }[];
    };
    expect(tree.map((agent) => [agent.name, agent.depth])).toEqual(
      expect.arrayContaining([
        ['Research Lead', 1],
        ['Ledger Clerk', 1],
        ['Analyst', 2],
        ['Report Writer', 2],
      ]),
    );
  });

  it('delegate a message to the chief down two levels, and the tree ends completed with the books balanced', async () => {
    const agents = await seedAgents(targets());
    const token = await testToken({ subject: SEED_OWNER, scope: 'agents:write' });
    const send = await running.orchestrator.app.request(`/a2a/agents/${agents.chief?.id}`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        'a2a-version': '1.0',
      },
      body: JSON.stringify({
        jsonrpc: '2.0',
        id: 1,
        method: 'SendMessage',
        params: {
          message: {
            messageId: randomUUID(),
            role: 'ROLE_USER',
            parts: [{ text: 'Prepare the monthly treasury review' }],
          },
          configuration: { returnImmediately: true },
        },
      }),
    });
    const { result } = (await send.json()) as { result: { task: { id: string } } };
    const id = result.task.id;
    let tasks: {
      task_id: string;
      parent_task_id: string | null;
      agent_id: string;
      depth: number;
      state: string;
      reservation: { state: string } | null;
    }[] = [];
    for (let i = 0; i < 300; i++) {
      const tree = await running.orchestrator.call('GET', `/tasks/${id}/tree`, { as: SEED_OWNER });
      ({ tasks } = (await tree.json()) as { tasks: typeof tasks });
      const done = tasks.every(
        (t) =>
          ['completed', 'failed', 'canceled', 'rejected'].includes(t.state) &&
          t.reservation?.state !== 'pending',
      );
      if (done && tasks[0]?.state !== 'working') break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(tasks[0]?.state).toBe('completed');
    // The chief delegates; whatever reaches the research lead is delegated again below it.
    expect(Math.max(...tasks.map((t) => t.depth))).toBeGreaterThanOrEqual(1);
    for (const lead of tasks.filter((t) => t.agent_id === agents.research?.id))
      expect(tasks.some((t) => t.parent_task_id === lead.task_id && t.depth === 2)).toBe(true);
    expect(tasks.every((t) => t.state === 'completed')).toBe(true);
    const admin = ledgerAdmin(running.governor.url).client;
    const chief = await admin.account(agents.chief?.ledger_account_id as string);
    expect(chief).toMatchObject({ balance: '1000', debits_pending: '0' });
  });
});
