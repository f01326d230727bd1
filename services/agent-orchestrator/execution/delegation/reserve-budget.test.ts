import { randomUUID } from 'node:crypto';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { testServiceKeys } from '../../../../test/harness/jwt.js';
import { createServiceClients } from '../../../clients.js';
import type { Agent } from '../../domain/agent.js';
import { findAgent } from '../../repository/agent-store.js';
import { ledgerAdmin } from '../../testing/ledger-admin.js';
import { useRunningOrchestrator } from '../../testing/running-orchestrator.js';
import { reserveBudget } from './reserve-budget.js';

const running = useRunningOrchestrator('reserve');

/** The orchestrator's own ledger client (its service identity owns the agents' accounts). */
const governor = () =>
  createServiceClients({
    service: 'agent-orchestrator',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
      ECONOMIC_GOVERNOR_URL: running.governor.url,
    },
    logger: pino({ level: 'silent' }),
  })['economic-governor'];

const register = async (name: string): Promise<Agent> => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { name, description: 'Reserves', runtime: { kind: 'tool', tool: 'echo' } },
  });
  const { id } = ((await res.json()) as { agent: { id: string } }).agent;
  return (await findAgent(running.sql, id)) as Agent;
};

describe("reserving a child's budget", () => {
  it('is the same pending transfer when an attempt retried later reserves it again', async () => {
    const parent = await register('Parent');
    const child = await register('Child');
    await ledgerAdmin(running.governor.url).fund(parent.ledger_account_id, '10');
    const childTaskId = randomUUID();
    const deadline = new Date(Date.now() + 60_000);
    const reserve = () =>
      reserveBudget(
        { governor: governor() },
        { parent, child, childTaskId, budgetAia: '2', deadline },
      );
    expect(await reserve()).toEqual({ reserved: true, id: childTaskId });
    // The retry comes seconds later (a worker died mid-delegation): its timeout is shorter.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await reserve()).toEqual({ reserved: true, id: childTaskId });
    const account = await ledgerAdmin(running.governor.url).client.account(
      parent.ledger_account_id,
    );
    expect(account).toMatchObject({ balance: '10', debits_pending: '2' });
  });
});
