import { randomUUID } from 'node:crypto';
import { SendMessageRequest, type Task } from '@a2a-js/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testPlatformKeysJson, testServiceKeys, testToken } from '../../../test/harness/jwt.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { sdkClient } from '../../platform/a2a/testing/client.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { startChaosFront } from '../testing/chaos-front.js';
import {
  balancesConsistent,
  type ChaosBooks,
  childrenExactlyAsPlanned,
  reservationsEndedOnce,
  tasksEndedOnce,
} from '../testing/chaos-invariants.js';
import {
  type ChaosWorker,
  type ChaosWorkerEnv,
  type HeldJob,
  killChaosWorker,
  startChaosWorker,
  stopChaosWorkers,
} from '../testing/chaos-workers.js';
import { ledgerAdmin } from '../testing/ledger-admin.js';
import { registryApp } from '../testing/registry-app.js';
import { jobIdOf, RUN_QUEUE } from './run-queue.js';

/** Root tasks sent to the chief: enough that the kill lands while delegations are in flight. */
const ROOT_TASKS = 30;
/** SendMessages in flight at once. */
const SENDERS = 8;
/** How long the test waits for each phase on a loaded machine before it fails saying which. */
const PHASE_TIMEOUT_MS = 90_000;

const database = useTestDatabase('orchestrator_chaos');
const ledgerDatabase = useTestDatabase('orchestrator_chaos_ledger');
let governor: GovernorServer;
let sql: Database;
let ledger: Database;
let registry: ReturnType<typeof registryApp>;
let front: Awaited<ReturnType<typeof startChaosFront>>;
/** The workers that ran, ready, in the order they started. */
const workers: ChaosWorker[] = [];

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'chaos-test', max: 6 });
  ledger = createDatabase({ url: ledgerDatabase.url, applicationName: 'chaos-ledger', max: 2 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
  front = await startChaosFront(sql, database.url);
}, 60_000);
afterAll(async () => {
  await stopChaosWorkers();
  await front?.stop();
  await sql?.end();
  await ledger?.end();
  await governor?.stop();
}, 30_000);

const ORIGIN = 'http://chaos.orchestrator.test';

const register = async (body: Record<string, unknown>): Promise<string> => {
  const res = await registry.call('POST', '/agents', {
    body: { description: 'Works in the chaos test', ...body },
  });
  if (res.status !== 201) throw new Error(`registering ${body.name}: ${await res.text()}`);
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};

const llm = (instructions: string) => ({ kind: 'llm', model_class: 'fast', instructions });

/**
 * Two levels of delegation: the chief (LLM) manages a lead (LLM, itself managing an analyst),
 * a writer (LLM) and an echo tool. The chief and the lead are funded: both reserve their
 * reports' budgets from their own accounts.
 */
async function hierarchy() {
  const chief = await register({
    name: 'Chief',
    runtime: llm('Split the work among your reports.'),
    limits: { concurrency: 8, default_budget_aia: '4' },
  });
  const lead = await register({
    name: 'Lead',
    manager_id: chief,
    runtime: llm('Plan the research and delegate it.'),
    limits: { concurrency: 8, default_budget_aia: '2' },
  });
  await register({
    name: 'Analyst',
    manager_id: lead,
    runtime: llm('Analyse.'),
    limits: { concurrency: 8, default_budget_aia: '0.5' },
  });
  await register({
    name: 'Writer',
    manager_id: chief,
    runtime: llm('Write.'),
    limits: { concurrency: 8, default_budget_aia: '1' },
  });
  await register({
    name: 'Echo',
    manager_id: chief,
    runtime: { kind: 'tool', tool: 'echo' },
    limits: { concurrency: 8, default_budget_aia: '0.5' },
  });
  const funded = new Map([
    [chief, '1000'],
    [lead, '500'],
  ]);
  const admin = ledgerAdmin(governor.url);
  for (const [agent, amount] of funded) {
    const [row] = await sql<{ ledger_account_id: string }[]>`
      select ledger_account_id from agents where id = ${agent}`;
    await admin.fund(row?.ledger_account_id as string, amount);
  }
  return { chief, funded };
}

/** Sends `count` non-blocking SendMessages to `agentId` through its A2A endpoint; their task ids. */
async function submit(agentId: string, count: number): Promise<string[]> {
  const client = await sdkClient(
    front.app,
    `${ORIGIN}/a2a/agents/${agentId}/.well-known/agent-card.json`,
  );
  const auth = {
    serviceParameters: {
      Authorization: `Bearer ${await testToken({ subject: 'user:ada', scope: 'agents:write' })}`,
    },
  };
  const ids: string[] = [];
  for (let start = 0; start < count; start += SENDERS) {
    const batch = Array.from({ length: Math.min(SENDERS, count - start) }, (_, i) =>
      SendMessageRequest.fromJSON({
        message: {
          messageId: randomUUID(),
          role: 'ROLE_USER',
          parts: [{ text: `Review ${start + i}: plan, research and write up quarter ${i % 4}` }],
        },
        configuration: { returnImmediately: true },
      }),
    );
    const tasks = await Promise.all(
      batch.map(async (request) => (await client.sendMessage(request, auth)) as Task),
    );
    ids.push(...tasks.map((task) => task.id));
  }
  return ids;
}

/** Polls `check` every `everyMs` until it returns true; fails naming `what` after the phase timeout. */
async function until(
  what: string,
  check: () => Promise<boolean> | boolean,
  detail = () => '',
  everyMs = 100,
) {
  const deadline = Date.now() + PHASE_TIMEOUT_MS;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`${what}: not within ${PHASE_TIMEOUT_MS} ms. ${detail()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Parents not ended with children in flight, and those of them that do not show working. */
async function parentsMidDelegation() {
  return sql<{ id: string; state: string }[]>`
    select distinct p.id, p.state
    from task_delegations d join a2a_tasks p on p.id = d.parent_task_id
    where d.finished_at is null
      and p.state not in ('TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED',
                          'TASK_STATE_REJECTED')`;
}

/** Tasks not ended, reservations not settled, and run jobs still to run (queued, retrying, running). */
async function openWork() {
  const [row] = await sql<{ tasks: number; reservations: number; jobs: number }[]>`
    select
      (select count(*)::int from a2a_tasks
       where state not in ('TASK_STATE_COMPLETED', 'TASK_STATE_FAILED', 'TASK_STATE_CANCELED',
                           'TASK_STATE_REJECTED')) as tasks,
      (select count(*)::int from task_delegations
       where reservation_id is not null and settlement is null) as reservations,
      (select count(*)::int from pgboss.job
       where name = ${RUN_QUEUE} and state in ('created', 'retry', 'active')) as jobs`;
  return row ?? { tasks: -1, reservations: -1, jobs: -1 };
}

const workerEnv = (): ChaosWorkerEnv => ({
  CHAOS_DATABASE_URL: database.url,
  CHAOS_GOVERNOR_URL: governor.url,
  CHAOS_SERVICE_SIGNING_KEY: testServiceKeys['agent-orchestrator'] as string,
  CHAOS_JWT_PUBLIC_KEYS: testPlatformKeysJson,
});

/** What one kill hit: the jobs the worker held, and when; and its replacement, starting. */
interface Kill {
  readonly worker: string;
  readonly held: readonly HeldJob[];
  readonly at: number;
  readonly replacement: Promise<ChaosWorker>;
}

/**
 * Records in `offStates` the parents waiting for children that do not show working: an A2A
 * client watching them would see a task go back (to submitted) or sideways.
 */
async function sampleParents(offStates: Set<string>): Promise<void> {
  for (const parent of await parentsMidDelegation())
    if (parent.state !== 'TASK_STATE_WORKING') offStates.add(`${parent.id} ${parent.state}`);
}

/**
 * SIGKILLs `victim` as soon as `hits` says what it holds is worth killing (checked every 10 ms,
 * since a step takes milliseconds), then starts `replacement` (not waiting for it: the
 * survivors carry on meanwhile).
 */
async function killWhen(
  victim: ChaosWorker,
  what: string,
  hits: (held: HeldJob[]) => Promise<boolean>,
  replacement: string,
): Promise<Kill> {
  let held: HeldJob[] = [];
  await until(
    `${victim.name} to hold ${what}`,
    async () => {
      held = [...victim.held.values()];
      if (held.length === 0 || !(await hits(held))) return false;
      held = [...victim.held.values()];
      return held.length > 0;
    },
    () => `${victim.name} holds ${held.length} jobs; ${victim.stderr()}`,
    10,
  );
  await killChaosWorker(victim);
  const starting = startChaosWorker(replacement, workerEnv());
  // Awaited later: a failed start fails the test there, not as an unhandled rejection.
  starting.catch(() => {});
  return { worker: victim.name, held, at: Date.now(), replacement: starting };
}

describe('workers SIGKILLed mid-delegation under load', () => {
  it('leave every task ended once, every reservation settled once and the books consistent', {
    timeout: 240_000,
  }, async ({ annotate }) => {
    const started = Date.now();
    // The workers start (tsx compiles the service: seconds) while the hierarchy is registered.
    const starting = Promise.all([
      startChaosWorker('worker-1', workerEnv()),
      startChaosWorker('worker-2', workerEnv()),
    ]);
    const { chief, funded } = await hierarchy();
    workers.push(...(await starting));
    const [first, second] = workers as [ChaosWorker, ChaosWorker];
    const ready = Date.now();
    const roots = await submit(chief, ROOT_TASKS);
    const submitted = Date.now();
    expect(new Set(roots).size).toBe(ROOT_TASKS);
    const managers = new Set(
      (
        await sql<{ id: string }[]>`
          select id from agents a where exists (select 1 from agents r where r.manager_id = a.id)`
      ).map((row) => row.id),
    );
    const agentOf = async (taskIds: string[]) =>
      (
        await sql<{ agent_id: string }[]>`select agent_id from a2a_tasks where id = any(${taskIds})`
      ).map((row) => row.agent_id);
    const offStates = new Set<string>();

    // First kill: a manager planning, reserving its reports' budgets and creating its children,
    // while other parents wait for theirs.
    const planning = await killWhen(
      first,
      "a manager's run while delegations are in flight",
      async (held) => {
        const runs = held.filter((job) => job.step === 'run').map((job) => job.taskId);
        if (!(await agentOf(runs)).some((agent) => managers.has(agent))) return false;
        await sampleParents(offStates);
        return (await parentsMidDelegation()).length >= 2;
      },
      'worker-3',
    );
    // Second kill: the other original worker while it settles a reservation or combines answers.
    const settling = await killWhen(
      second,
      'a settle or combine step',
      async (held) => held.some((job) => job.step === 'settle' || job.step === 'combine'),
      'worker-4',
    );

    workers.push(...(await Promise.all([planning.replacement, settling.replacement])));
    let open = await openWork();
    await until(
      'every task ended, every reservation settled and the queue drained',
      async () => {
        open = await openWork();
        await sampleParents(offStates);
        return open.tasks === 0 && open.reservations === 0 && open.jobs === 0;
      },
      () => `open: ${JSON.stringify(open)}; ${workers.map((w) => `${w.name}: ${w.stderr()}`)}`,
    );
    const settledAt = Date.now();

    // Each kill hit jobs in flight: they were taken back and run again by a live worker. (One
    // may have ended just before the kill, before its line was read: not all were retried.)
    for (const kill of [planning, settling]) {
      const jobs = await sql<{ retry_count: number; state: string }[]>`
        select retry_count, state from pgboss.job
        where name = ${RUN_QUEUE}
          and id = any(${kill.held.map((job) => jobIdOf(job.taskId, job.step))}::uuid[])`;
      expect(jobs.map((job) => job.state)).toEqual(kill.held.map(() => 'completed'));
      expect(jobs.some((job) => job.retry_count > 0)).toBe(true);
    }
    // A parent waiting for its children shows working (never back to submitted).
    expect([...offStates]).toEqual([]);

    const books: ChaosBooks = { sql, ledger, funded };
    const problems = [
      ...(await tasksEndedOnce(books)),
      ...(await childrenExactlyAsPlanned(books)),
      ...(await reservationsEndedOnce(books)),
      ...(await balancesConsistent(books)),
    ];
    expect(problems, problems.join('\n')).toEqual([]);

    // Under load and two kills, nothing failed: every task completed, two levels deep.
    const outcomes = await sql<{ depth: number; state: string; reason: string | null }[]>`
      with recursive tree as (
        select id, 0 as depth from a2a_tasks where id = any(${roots}::text[])
        union all
        select d.child_task_id, tree.depth + 1
        from task_delegations d join tree on d.parent_task_id = tree.id)
      select tree.depth, t.state, t.status #>> '{message,parts,0,text}' as reason
      from tree join a2a_tasks t on t.id = tree.id`;
    const notCompleted = outcomes.filter((task) => task.state !== 'TASK_STATE_COMPLETED');
    expect(notCompleted, JSON.stringify(notCompleted.slice(0, 5))).toEqual([]);
    expect(outcomes.filter((task) => task.depth === 0)).toHaveLength(ROOT_TASKS);
    expect(outcomes.some((task) => task.depth === 2)).toBe(true);
    const [total] = await sql<{ count: number }[]>`select count(*)::int as count from a2a_tasks`;
    expect(total?.count).toBe(outcomes.length);

    // Reservations were both posted (LLM children are priced) and voided (the echo tool is free).
    const settlements = await sql<{ settlement: string }[]>`
      select distinct settlement from task_delegations
      where reservation_id is not null order by settlement`;
    expect(settlements.map((row) => row.settlement)).toEqual(['posted', 'voided']);
    const ledgers = await ledgerAdmin(governor.url).client.ledgers();
    expect(ledgers.map((book) => [book.code, book.balanced])).toEqual(
      ledgers.map((book) => [book.code, true]),
    );

    const seconds = (ms: number) => `${(ms / 1_000).toFixed(1)} s`;
    const hit = (kill: Kill) =>
      `${kill.worker} killed ${seconds(kill.at - started)} in holding ${kill.held.map((job) => job.step).join(', ')}`;
    await annotate(
      `${outcomes.length} tasks (${ROOT_TASKS} roots); workers ready ${seconds(ready - started)} in, tasks sent by ${seconds(submitted - started)}; ` +
        `${hit(planning)}; ${hit(settling)}; ` +
        `settled ${seconds(settledAt - settling.at)} after the last kill, ${seconds(settledAt - started)} in all; ` +
        `attempts that threw: ${workers.flatMap((worker) => worker.errors).length}`,
    );
  });
});
