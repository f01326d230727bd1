import { randomUUID } from 'node:crypto';
import { Task } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { testServiceKeys } from '../../../../test/harness/jwt.js';
import { createServiceClients } from '../../../clients.js';
import { findAgent } from '../../repository/agent-store.js';
import { insertDelegation } from '../../repository/delegations.js';
import { PostgresTaskStore } from '../../repository/task-store.js';
import { ledgerAdmin } from '../../testing/ledger-admin.js';
import { useRunningOrchestrator } from '../../testing/running-orchestrator.js';
import type { TaskLifecycle } from '../task-lifecycle.js';
import type { DelegationDeps } from './delegation-deps.js';
import { reserveBudget } from './reserve-budget.js';
import { settleReservation } from './settle.js';
import { settlementReconciler } from './settlement-reconciler.js';

const running = useRunningOrchestrator('settle');

/** The orchestrator's own ledger client (its service identity owns the agents' accounts). */
const governor = () =>
  createServiceClients({
    service: 'agent-orchestrator',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'],
      ECONOMIC_GOVERNOR_URL: running.governor.url,
    },
  })['economic-governor'];

const deps = (): DelegationDeps => ({
  sql: running.sql,
  lifecycle: undefined as unknown as TaskLifecycle,
  llm: undefined as unknown as DelegationDeps['llm'],
  governor: governor(),
  logger: pino({ level: 'silent' }),
});

const register = async (name: string) => {
  const res = await running.orchestrator.call('POST', '/agents', {
    body: { name, description: 'Settles', runtime: { kind: 'tool', tool: 'echo' } },
  });
  const { id } = ((await res.json()) as { agent: { id: string } }).agent;
  return (await findAgent(running.sql, id)) as NonNullable<Awaited<ReturnType<typeof findAgent>>>;
};

const owner = new ServerCallContext({ user: { isAuthenticated: true, userName: 'user:ada' } });

/** A parent and a child task, the child's budget reserved, the child ended in `state` at `cost`. */
async function endedChild(state: string, cost: string, budget = '2') {
  const parentAgent = await register('Parent');
  const childAgent = await register('Child');
  await ledgerAdmin(running.governor.url).fund(parentAgent.ledger_account_id, '10');
  const [parentId, childId] = [randomUUID(), randomUUID()];
  const task = (id: string) =>
    Task.fromJSON({ id, contextId: 'c', status: { state: 'TASK_STATE_WORKING' } });
  await new PostgresTaskStore(running.sql, { agentId: parentAgent.id }).save(task(parentId), owner);
  await new PostgresTaskStore(running.sql, { agentId: childAgent.id }).save(task(childId), owner);
  const reservation = await reserveBudget(deps(), {
    parent: parentAgent,
    child: childAgent,
    childTaskId: childId,
    budgetAia: budget,
    deadline: new Date(Date.now() + 60_000),
  });
  expect(reservation).toEqual({ reserved: true, id: childId });
  await insertDelegation(running.sql, {
    child_task_id: childId,
    parent_task_id: parentId,
    position: 0,
    parent_agent_id: parentAgent.id,
    child_agent_id: childAgent.id,
    budget_aia: budget,
    reservation_id: childId,
  });
  await running.sql`
    update a2a_tasks set state = ${state}, metadata = ${running.sql.json({ cost: { aia: cost } })}
    where id = ${childId}`;
  await running.sql`update task_delegations set finished_at = now() where child_task_id = ${childId}`;
  return { parentAgent, childAgent, childId };
}

const balances = async (accountId: string) => {
  const account = await ledgerAdmin(running.governor.url).client.account(accountId);
  return { balance: account.balance, pending: account.debits_pending };
};

const settlementOf = async (childId: string) =>
  (
    await running.sql<{ settlement: string; settled_aia: string }[]>`
      select settlement, trim_scale(settled_aia)::text as settled_aia
      from task_delegations where child_task_id = ${childId}`
  )[0];

describe("settling a child's budget reservation", () => {
  it("posts a completed child's cost (a partial post) once, however often it is retried", async () => {
    const { parentAgent, childAgent, childId } = await endedChild('TASK_STATE_COMPLETED', '1.25');
    expect(await balances(parentAgent.ledger_account_id)).toEqual({ balance: '10', pending: '2' });
    await settleReservation(deps(), childId);
    // A retry after the ledger answered (the job ran again): the same post, nothing moves twice.
    await running.sql`update task_delegations set settlement = null, settled_at = null where child_task_id = ${childId}`;
    await settleReservation(deps(), childId);
    await settleReservation(deps(), childId);
    expect(await settlementOf(childId)).toEqual({ settlement: 'posted', settled_aia: '1.25' });
    expect(await balances(parentAgent.ledger_account_id)).toEqual({
      balance: '8.75',
      pending: '0',
    });
    expect(await balances(childAgent.ledger_account_id)).toEqual({ balance: '1.25', pending: '0' });
  });

  it('posts at most the budget when the child spent more', async () => {
    const { parentAgent, childId } = await endedChild('TASK_STATE_COMPLETED', '7', '2');
    await settleReservation(deps(), childId);
    expect(await settlementOf(childId)).toEqual({ settlement: 'posted', settled_aia: '2' });
    expect(await balances(parentAgent.ledger_account_id)).toEqual({ balance: '8', pending: '0' });
  });

  it('voids the reservation of a child that failed, or completed at no cost', async () => {
    for (const [state, cost] of [
      ['TASK_STATE_FAILED', '1'],
      ['TASK_STATE_CANCELED', '0.5'],
      ['TASK_STATE_COMPLETED', '0'],
    ] as const) {
      const { parentAgent, childAgent, childId } = await endedChild(state, cost);
      await settleReservation(deps(), childId);
      await settleReservation(deps(), childId);
      expect(await settlementOf(childId)).toEqual({ settlement: 'voided', settled_aia: '0' });
      expect(await balances(parentAgent.ledger_account_id)).toEqual({
        balance: '10',
        pending: '0',
      });
      expect(await balances(childAgent.ledger_account_id)).toEqual({ balance: '0', pending: '0' });
    }
  });

  it('leaves a child that has not ended alone', async () => {
    const { parentAgent, childId } = await endedChild('TASK_STATE_WORKING', '0');
    await running.sql`update task_delegations set finished_at = null where child_task_id = ${childId}`;
    await settleReservation(deps(), childId);
    expect(await settlementOf(childId)).toEqual({ settlement: null, settled_aia: null });
    expect(await balances(parentAgent.ledger_account_id)).toEqual({ balance: '10', pending: '2' });
  });
});

describe('the settlement reconciler', () => {
  it('settles reservations whose children ended long ago and were never settled, and only those', async () => {
    const stale = await endedChild('TASK_STATE_COMPLETED', '0.5');
    const recent = await endedChild('TASK_STATE_FAILED', '0');
    await running.sql`
      update task_delegations set finished_at = now() - interval '4 hours'
      where child_task_id = ${stale.childId}`;
    const worker = settlementReconciler({ deps: deps() });
    await worker.run(running.sql, new AbortController().signal);
    expect(await settlementOf(stale.childId)).toEqual({ settlement: 'posted', settled_aia: '0.5' });
    expect(await balances(stale.parentAgent.ledger_account_id)).toEqual({
      balance: '9.5',
      pending: '0',
    });
    // Ended within RECONCILE_AFTER_MINUTES: its own settle job still has time.
    expect(await settlementOf(recent.childId)).toEqual({ settlement: null, settled_aia: null });
    // Run again: nothing left, nothing moves twice.
    await worker.run(running.sql, new AbortController().signal);
    expect(await balances(stale.parentAgent.ledger_account_id)).toEqual({
      balance: '9.5',
      pending: '0',
    });
  });
});
