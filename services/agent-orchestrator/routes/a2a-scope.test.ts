import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testServiceToken, testToken } from '../../../test/harness/jwt.js';
import { inProcessFetch } from '../../platform/a2a/testing/client.js';
import { ledgerAdmin } from '../testing/ledger-admin.js';
import { useRunningOrchestrator } from '../testing/running-orchestrator.js';

const running = useRunningOrchestrator('a2a_scope');

const ORIGIN = 'http://running.orchestrator.test';
const FUNDS_AIA = '50';

/** An echo agent with AIA of its own, so a task sent to it could reserve or spend some. */
async function fundedAgent() {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: {
      name: `Scoped ${randomUUID().slice(0, 8)}`,
      description: 'Echoes; funded',
      runtime: { kind: 'tool', tool: 'echo' },
    },
  });
  expect(res.status).toBe(201);
  const { agent } = (await res.json()) as { agent: { id: string; ledger_account_id: string } };
  await ledgerAdmin(running.governor.url).fund(agent.ledger_account_id, FUNDS_AIA);
  return agent;
}

const sendMessage = (agentId: string, token: string) =>
  inProcessFetch(running.orchestrator.app)(`${ORIGIN}/a2a/agents/${agentId}`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      'A2A-Version': '1.0',
      Authorization: `Bearer ${token}`,
    },
    body: JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'SendMessage',
      params: { message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'hi' }] } },
    }),
  });

const taskCount = async () =>
  (await running.sql<{ n: number }[]>`select count(*)::int as n from a2a_tasks`)[0]?.n;

const accountOf = (id: string) => ledgerAdmin(running.governor.url).client.account(id);

/** Sends with `token`, expects the kit's 403 naming agents:write, and that nothing was stored. */
async function expectRefused(token: string) {
  const agent = await fundedAgent();
  const before = await taskCount();
  const res = await sendMessage(agent.id, token);
  expect(res.status).toBe(403);
  expect(res.headers.get('Content-Type')).toContain('application/problem+json');
  expect(await res.json()).toMatchObject({
    status: 403,
    detail: 'missing required scope(s): agents:write',
    missingScopes: ['agents:write'],
  });
  expect(await taskCount()).toBe(before);
  expect(await accountOf(agent.ledger_account_id)).toMatchObject({
    balance: FUNDS_AIA,
    debits_pending: '0',
  });
}

describe("an agent's A2A endpoint requires agents:write", () => {
  it('refuses a token with no scope (403) and stores no task and reserves nothing', async () => {
    await expectRefused(await testToken({ subject: 'user:eve' }));
  });

  it('refuses a token with agents:read alone (the viewer’s)', async () => {
    await expectRefused(await testToken({ subject: 'user:eve', scope: 'agents:read' }));
  });

  it('refuses before it looks the agent up: an unknown agent is 403, not 404', async () => {
    const res = await sendMessage(randomUUID(), await testToken({ subject: 'user:eve' }));
    expect(res.status).toBe(403);
  });

  it('refuses another service’s token without agents:write', async () => {
    for (const service of ['performance-tracker', 'dkg-manager'])
      await expectRefused(
        await testServiceToken({
          service,
          audience: 'agent-orchestrator',
          ...(service === 'performance-tracker' ? { scope: 'agents:read' } : {}),
        }),
      );
  });

  it('answers a token with agents:write', async () => {
    const agent = await fundedAgent();
    const res = await sendMessage(
      agent.id,
      await testToken({ subject: 'user:ada', scope: 'agents:write' }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { task: { status: { state: string } } } };
    expect(body.result.task.status.state).toBe('TASK_STATE_COMPLETED');
  });

  it('answers the orchestrator’s own service token, which carries no scope', async () => {
    const agent = await fundedAgent();
    const res = await sendMessage(
      agent.id,
      await testServiceToken({ service: 'agent-orchestrator', audience: 'agent-orchestrator' }),
    );
    expect(res.status).toBe(200);
    const body = (await res.json()) as { result: { task: { status: { state: string } } } };
    expect(body.result.task.status.state).toBe('TASK_STATE_COMPLETED');
  });
});
