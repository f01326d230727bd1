import { randomUUID } from 'node:crypto';
import { Message, Task } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { createDatabase, type Database } from '../../platform/db.js';
import type { Llm, ObjectResult, TextResult } from '../../platform/llm/types.js';
import { migrateService } from '../../platform/migrations.js';
import { PostgresTaskStore } from '../repository/task-store.js';
import { registryApp } from '../testing/registry-app.js';
import { RunQueue } from './run-queue.js';
import { runTask } from './run-task.js';
import { TaskLifecycle } from './task-lifecycle.js';

const database = useTestDatabase('orchestrator_run_plan');
const ledgerDatabase = useTestDatabase('orchestrator_run_plan_ledger');
let governor: GovernorServer;
let sql: Database;
let registry: ReturnType<typeof registryApp>;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'orchestrator-test', max: 4 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
});
afterAll(async () => {
  await sql?.end();
  await governor?.stop();
});

const register = async (body: Record<string, unknown>): Promise<string> => {
  const res = await registry.call('POST', '/agents', {
    body: { description: 'Plans in tests', ...body },
  });
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};

const meta = (aia: string) => ({
  provider: 'local',
  model: 'stub',
  local: true,
  usage: { inputTokens: 1, outputTokens: 1 },
  cost: { usd: 0, aia },
  attempts: [],
});

const stateOf = async (id: string) =>
  (await sql<{ state: string }[]>`select state from a2a_tasks where id = ${id}`)[0]?.state;

const noLedger = () => Promise.reject(new Error('no ledger in this test'));

describe('a manager whose plan gives nothing away', () => {
  it('answers while working, and its cost is the plan and the answer', async () => {
    const manager = await register({
      name: 'Manager',
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Delegate.' },
    });
    await register({
      name: 'Report',
      manager_id: manager,
      runtime: { kind: 'tool', tool: 'echo' },
    });
    const id = randomUUID();
    const task = Task.fromJSON({
      id,
      contextId: 'c',
      status: { state: 'TASK_STATE_SUBMITTED' },
      metadata: { budget_aia: '2' },
    });
    task.history = [
      Message.fromJSON({ messageId: id, role: 'ROLE_USER', parts: [{ text: 'Do it yourself' }] }),
    ];
    const owner = new ServerCallContext({ user: { isAuthenticated: true, userName: 'user:ada' } });
    await new PostgresTaskStore(sql, { agentId: manager }).save(task, owner);
    let stateWhileAnswering: string | undefined;
    const llm = {
      generateObject: async () =>
        ({ object: { subtasks: [] }, ...meta('0.5') }) as unknown as ObjectResult<unknown>,
      generateText: async () => {
        stateWhileAnswering = await stateOf(id);
        return { text: 'done myself', toolCalls: [], ...meta('0.25') } as unknown as TextResult;
      },
    } as unknown as Llm;
    // Never started: a root that completes enqueues nothing.
    const queue = new RunQueue({ connectionString: database.url });
    await runTask(
      {
        sql,
        lifecycle: new TaskLifecycle(sql, queue),
        maxDepth: 4,
        runtimes: { llm, governor: { account: noLedger }, outbound: { allowPrivate: false } },
        governor: { transfer: noLedger, postPending: noLedger, voidPending: noLedger },
        logger: pino({ level: 'silent' }),
        finished: () => {},
      },
      {
        taskId: id,
        step: 'run',
        round: 0,
        attempt: 0,
        last: false,
        signal: new AbortController().signal,
      },
    );
    expect(stateWhileAnswering).toBe('TASK_STATE_WORKING');
    const [done] = await sql<{ state: string; cost: string; plan: unknown }[]>`
      select state, metadata #>> '{cost,aia}' as cost, metadata #> '{delegation,plan}' as plan
      from a2a_tasks where id = ${id}`;
    expect(done).toEqual({
      state: 'TASK_STATE_COMPLETED',
      cost: '0.75',
      plan: { subtasks: [], cost_aia: '0.5' },
    });
  });
});
