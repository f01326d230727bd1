import { randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { SendMessageRequest, type Task, TaskState } from '@a2a-js/sdk';
import { ServerCallContext } from '@a2a-js/sdk/server';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { createDatabase, type Database } from '../../platform/db.js';
import type { Llm, TextResult } from '../../platform/llm/types.js';
import { migrateService } from '../../platform/migrations.js';
import { agentCardOf } from '../domain/agent-card.js';
import { findAgent } from '../repository/agent-store.js';
import { registryApp } from '../testing/registry-app.js';
import { DurableAgentHandler } from './durable-handler.js';
import { RUN_QUEUE, type RunJob, RunQueue, type RunQueueOptions } from './run-queue.js';
import { type RunOutcome, type RunTaskDeps, runTask } from './run-task.js';
import { TaskLifecycle } from './task-lifecycle.js';

const database = useTestDatabase('orchestrator_runs');
const ledgerDatabase = useTestDatabase('orchestrator_runs_ledger');
let governor: GovernorServer;
let sql: Database;
let registry: ReturnType<typeof registryApp>;
const queues: RunQueue[] = [];
const logger = pino({ level: 'silent' }, new Writable({ write: (_c, _e, done) => done() }));

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'orchestrator-test', max: 4 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
});
afterEach(async () => {
  await Promise.all(queues.splice(0).map((queue) => queue.stop({ timeoutMs: 1_000 })));
});
afterAll(async () => {
  await sql?.end();
  await governor?.stop();
});

/** Recovery in seconds: no heartbeat, a 2 s attempt deadline, a supervisor every second. */
const FAST: Omit<RunQueueOptions, 'connectionString'> = {
  heartbeatSeconds: null,
  expireInSeconds: 2,
  superviseIntervalSeconds: 1,
  pollingIntervalSeconds: 0.5,
  retryDelaySeconds: 1,
};

/** A model that answers `text` when `release()` is called (or fails when its signal aborts). */
function heldModel(text: string) {
  let release = () => {};
  let started = () => {};
  const calledAt = new Promise<void>((resolve) => {
    started = resolve;
  });
  const llm = {
    generateText: ({ signal }: { signal?: AbortSignal }) => {
      started();
      return new Promise<TextResult>((resolve, reject) => {
        release = () => resolve(answer(text));
        signal?.addEventListener('abort', () => reject(new Error('aborted')));
      });
    },
  } as unknown as Llm;
  return { llm, called: calledAt, release: () => release() };
}
const answer = (text: string): TextResult =>
  ({
    text,
    toolCalls: [],
    provider: 'local',
    model: 'stub',
    local: true,
    usage: { inputTokens: 1, outputTokens: 1 },
    cost: { usd: 0.001, aia: '0.010000' },
    attempts: [],
  }) as unknown as TextResult;
const fastModel = (text: string) => ({ generateText: async () => answer(text) }) as unknown as Llm;

/** LLM agents without reports never touch the ledger. */
const noLedger = () => Promise.reject(new Error('no ledger in this test'));

/** What a worker of `queue` runs tasks with: the model `llm`, outcomes pushed to `outcomes`. */
const runDeps = (queue: RunQueue, llm: Llm, outcomes: RunOutcome[]): RunTaskDeps => ({
  sql,
  lifecycle: new TaskLifecycle(sql, queue),
  maxDepth: 4,
  runtimes: { llm, governor: { account: noLedger }, outbound: { allowPrivate: false } },
  governor: { transfer: noLedger, postPending: noLedger, voidPending: noLedger },
  logger,
  finished: (outcome) => outcomes.push(outcome),
});

/** A started queue whose workers run tasks with `llm`; `settled` resolves after each attempt. */
async function workers(llm: Llm, outcomes: RunOutcome[]) {
  const queue = new RunQueue({ connectionString: database.url, ...FAST });
  queues.push(queue);
  await queue.start(() => {});
  let settle = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = resolve;
  });
  await queue.work((held) => runTask(runDeps(queue, llm, outcomes), held).finally(settle));
  return { queue, settled };
}

const ada = () =>
  new ServerCallContext({
    user: { isAuthenticated: true, userName: 'user:ada' },
    requestedVersion: '1.0',
  });
async function handlerFor(queue: RunQueue) {
  const res = await registry.call('POST', '/agents', {
    body: {
      name: 'Worker',
      description: 'Runs in tests',
      runtime: { kind: 'llm', model_class: 'fast', instructions: 'Go.' },
    },
  });
  const { id } = ((await res.json()) as { agent: { id: string } }).agent;
  const agent = await findAgent(sql, id);
  if (!agent) throw new Error('agent not registered');
  const card = agentCardOf(agent, 'http://orchestrator.test');
  return new DurableAgentHandler({
    sql,
    lifecycle: new TaskLifecycle(sql, queue),
    deadlineSeconds: 3_600,
    agent,
    card,
    waitMs: 0,
  });
}
const send = (handler: DurableAgentHandler) =>
  handler.sendMessage(
    SendMessageRequest.fromJSON({
      message: { messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'work' }] },
      configuration: { returnImmediately: true },
    }),
    ada(),
  );
async function until(task: Task, handler: DurableAgentHandler, state: TaskState) {
  let now = task;
  for (let i = 0; i < 150 && now.status?.state !== state; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    now = await handler.getTask({ tenant: '', id: task.id, historyLength: undefined }, ada());
  }
  return now;
}
const textOf = (task: Task) =>
  task.artifacts.flatMap((a) =>
    a.parts.map((p) => (p.content?.$case === 'text' ? p.content.value : '')),
  );
const jobState = async (id: string) =>
  (await sql<{ state: string }[]>`select state from pgboss.job where id = ${id}`)[0]?.state;

describe('durable agent runs', () => {
  it('finish exactly once when a worker dies mid-run: another replica takes the job back', async () => {
    // The first replica leases the job and dies: no heartbeat, no completion, no failure.
    const dead = new RunQueue({ connectionString: database.url, ...FAST });
    queues.push(dead);
    await dead.start(() => {});
    const handler = await handlerFor(dead);
    const task = await send(handler);
    const [job] = await dead.boss.fetch<RunJob>(RUN_QUEUE);
    expect(job?.id).toBe(task.id);
    const stale = heldModel('stale answer');
    const staleOutcomes: RunOutcome[] = [];
    const staleRun = runTask(runDeps(dead, stale.llm, staleOutcomes), {
      taskId: task.id,
      step: 'run',
      round: 0,
      attempt: 0,
      last: false,
      signal: new AbortController().signal,
    });
    await stale.called;
    expect((await until(task, handler, TaskState.TASK_STATE_WORKING)).status?.state).toBe(
      TaskState.TASK_STATE_WORKING,
    );

    // Another replica's supervisor sees the attempt expire; its worker runs the task again.
    const outcomes: RunOutcome[] = [];
    await workers(fastModel('fresh answer'), outcomes);
    const done = await until(task, handler, TaskState.TASK_STATE_COMPLETED);
    expect(done.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
    expect(textOf(done)).toEqual(['fresh answer']);
    expect(done.metadata?.cost).toEqual({ aia: '0.010000' });
    expect(outcomes).toEqual(['succeeded']);
    expect(await jobState(task.id)).toBe('completed');

    // The dead replica's run answers late: its save is dropped and counted nowhere.
    stale.release();
    await staleRun;
    const after = await handler.getTask(
      { tenant: '', id: task.id, historyLength: undefined },
      ada(),
    );
    expect(textOf(after)).toEqual(['fresh answer']);
    expect(staleOutcomes).toEqual([]);
  });

  it('retry a failed model call with backoff, then fail the task once with the reason', async () => {
    let calls = 0;
    const failing = {
      generateText: async () => {
        calls++;
        throw new Error('provider unavailable');
      },
    } as unknown as Llm;
    const outcomes: RunOutcome[] = [];
    const { queue } = await workers(failing, outcomes);
    const handler = await handlerFor(queue);
    const task = await send(handler);
    const failed = await until(task, handler, TaskState.TASK_STATE_FAILED);
    expect(failed.status?.state).toBe(TaskState.TASK_STATE_FAILED);
    const reason = failed.status?.message?.parts[0]?.content;
    expect(reason?.$case === 'text' && reason.value).toBe('the run failed: provider unavailable');
    // The queue's retry limit is 2: three attempts, one failure counted.
    expect(calls).toBe(3);
    expect(outcomes).toEqual(['failed']);
  });

  it('cancel a running task once: its job is cancelled and the run changes nothing after', async () => {
    const held = heldModel('too late');
    const outcomes: RunOutcome[] = [];
    const { queue, settled } = await workers(held.llm, outcomes);
    const handler = await handlerFor(queue);
    const task = await send(handler);
    await held.called;
    await until(task, handler, TaskState.TASK_STATE_WORKING);

    const canceled = await handler.cancelTask({ tenant: '', id: task.id, metadata: {} }, ada());
    expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(await jobState(task.id)).toBe('cancelled');
    const again = await handler.cancelTask({ tenant: '', id: task.id, metadata: {} }, ada());
    expect(again.status?.timestamp).toBe(canceled.status?.timestamp);

    held.release();
    await settled;
    const after = await handler.getTask(
      { tenant: '', id: task.id, historyLength: undefined },
      ada(),
    );
    expect(after.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
    expect(after.artifacts).toEqual([]);
    expect(outcomes).toEqual([]);
  });
});
