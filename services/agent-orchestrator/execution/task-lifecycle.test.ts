import { randomUUID } from 'node:crypto';
import { Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { findAgent, insertAgent } from '../repository/agent-store.js';
import { insertDelegation } from '../repository/delegations.js';
import { TERMINAL_TASK_STATES } from '../repository/task-store.js';
import { childTaskIdOf, spawnChildren } from './delegation/spawn-children.js';
import { jobIdOf, RunQueue } from './run-queue.js';
import { TaskLifecycle } from './task-lifecycle.js';
import { withState } from './task-states.js';

const database = useTestDatabase('orchestrator_lifecycle');
let sql: Database;
let queue: RunQueue;
let lifecycle: TaskLifecycle;
let agentId: string;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'lifecycle-test', max: 8 });
  await migrateService(sql, 'agent-orchestrator');
  queue = new RunQueue({ connectionString: database.url, poolMax: 2 });
  await queue.start(() => {});
  lifecycle = new TaskLifecycle(sql, queue);
  const agent = await insertAgent(sql, {
    id: randomUUID(),
    owner: 'ada',
    name: 'agent',
    description: '',
    version: '1.0.0',
    skills: [],
    input_modes: ['text/plain'],
    output_modes: ['text/plain'],
    runtime: { kind: 'tool', tool: 'echo' },
    limits: { concurrency: 1, default_budget_aia: '0' },
    manager_id: null,
    ledger_account_id: randomUUID(),
  });
  agentId = agent?.id as string;
});
afterAll(async () => {
  await queue?.stop({ timeoutMs: 1_000 });
  await sql?.end();
});

const STATES = [
  TaskState.TASK_STATE_WORKING,
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
] as const;
const isTerminal = (state: TaskState) =>
  (TERMINAL_TASK_STATES as readonly string[]).includes(taskStateToJSON(state));

/** A write to one task of the tree: index 0 is the parent, 1..n its children. */
const write = (tasks: number) =>
  fc.record({ task: fc.nat({ max: tasks - 1 }), state: fc.constantFrom(...STATES) });

/** Writes, some of them sent at once (a stale worker, a cancel and the run racing). */
const scenario = fc.integer({ min: 1, max: 4 }).chain((children) =>
  fc.record({
    children: fc.constant(children),
    rounds: fc.array(fc.array(write(children + 1), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 8,
    }),
  }),
);

const scope = { tenant: '', owner: 'ada', agentId: '' };

async function tree(children: number) {
  const ids = Array.from({ length: children + 1 }, () => randomUUID());
  const tasks = ids.map((id) =>
    Task.fromJSON({ id, contextId: 'c', status: { state: 'TASK_STATE_SUBMITTED' } }),
  );
  for (const task of tasks) await lifecycle.save({ ...scope, agentId }, task);
  for (const [position, id] of ids.slice(1).entries())
    await insertDelegation(sql, {
      child_task_id: id,
      parent_task_id: ids[0] as string,
      position,
      parent_agent_id: agentId,
      child_agent_id: agentId,
      budget_aia: '0',
      reservation_id: null,
    });
  return tasks;
}

describe('the task lifecycle, under any order of writes', () => {
  it('never leaves a terminal state, ends each task once, and wakes the parent exactly once after its last child', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ children, rounds }) => {
        const tasks = await tree(children);
        const ids = tasks.map((task) => task.id);
        // The model: the first terminal write a task accepts is its end.
        const ended = new Map<number, TaskState>();
        for (const round of rounds) {
          const accepted = await Promise.all(
            round.map(({ task, state }) =>
              lifecycle.save({ ...scope, agentId }, withState(tasks[task] as Task, state)),
            ),
          );
          // A task that had ended before the round accepts none of them.
          for (const [index, { task }] of round.entries())
            if (ended.has(task)) expect(accepted[index]).toBe(false);
          // Of several terminal writes to one open task at once, exactly one ends it (the order
          // of writes within a round is the database's, so a working write may land first).
          for (const task of new Set(round.map((w) => w.task))) {
            if (ended.has(task)) continue;
            const terminal = round.filter(
              (w, index) => w.task === task && isTerminal(w.state) && accepted[index],
            );
            expect(terminal.length).toBeLessThanOrEqual(1);
            if (terminal[0]) ended.set(task, terminal[0].state);
            else expect(round.some((w) => w.task === task && isTerminal(w.state))).toBe(false);
          }
        }
        const rows = await sql<{ id: string; state: string }[]>`
          select id, state from a2a_tasks where id = any(${ids}::text[])`;
        for (const [index, id] of ids.entries()) {
          const state = rows.find((row) => row.id === id)?.state;
          const end = ended.get(index);
          if (end !== undefined) expect(state).toBe(taskStateToJSON(end));
          else
            expect((TERMINAL_TASK_STATES as readonly string[]).includes(state ?? '')).toBe(false);
        }
        // One run event per ended task, none for an open one.
        const events = await sql<{ task_id: string }[]>`
          select payload->>'task_id' as task_id from outbox
          where topic = 'aia.agents.runs.v1' and payload->>'task_id' = any(${ids}::text[])`;
        expect(events.map((e) => e.task_id).sort()).toEqual(
          [...ended.keys()].map((index) => ids[index]).sort(),
        );
        // Every ended child recorded once; the parent's combine queued iff all children ended.
        const finished = await sql<{ child_task_id: string }[]>`
          select child_task_id from task_delegations
          where parent_task_id = ${ids[0] as string} and finished_at is not null`;
        const endedChildren = [...ended.keys()].filter((index) => index > 0);
        expect(finished.length).toBe(endedChildren.length);
        const combine = await sql`
          select 1 from pgboss.job where id = ${jobIdOf(ids[0] as string, 'combine')}`;
        expect(combine.length).toBe(endedChildren.length === children ? 1 : 0);
        // A parent that ended other than completed with children open takes them with it.
        const cascade = await sql`
          select 1 from pgboss.job where id = ${jobIdOf(ids[0] as string, 'cascade')}`;
        if (cascade.length > 0) expect(ended.get(0)).not.toBe(TaskState.TASK_STATE_COMPLETED);
      }),
      { numRuns: 40 },
    );
  }, 120_000);

  it('creates each planned child exactly once, however many attempts spawn them at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        async (subtasks, attempts) => {
          const parent = Task.fromJSON({
            id: randomUUID(),
            contextId: 'c',
            status: { state: 'TASK_STATE_WORKING' },
          });
          await lifecycle.save({ ...scope, agentId }, parent);
          const plan = {
            subtasks: Array.from({ length: subtasks }, (_, i) => ({
              agent_id: agentId,
              request: `part ${i}`,
              budget_aia: '0',
            })),
            cost_aia: '0',
          };
          const deps = {
            sql,
            lifecycle,
            llm: undefined as never,
            governor: undefined as never,
            logger: undefined as never,
          };
          const agent = await findAgent(sql, agentId);
          await Promise.all(
            Array.from({ length: attempts }, () =>
              spawnChildren(deps, {
                scope: { ...scope, agentId },
                parent,
                agent: agent as NonNullable<typeof agent>,
                plan,
              }),
            ),
          );
          const children = await sql<{ child_task_id: string; position: number }[]>`
            select child_task_id, position from task_delegations
            where parent_task_id = ${parent.id} order by position`;
          expect(children.map((c) => c.position)).toEqual([...Array(subtasks).keys()]);
          expect(children.map((c) => c.child_task_id)).toEqual(
            children.map((_, i) => childTaskIdOf(parent.id, i)),
          );
          const ids = children.map((c) => c.child_task_id);
          const jobs = await sql`select 1 from pgboss.job where id = any(${ids}::uuid[])`;
          expect(jobs.length).toBe(subtasks);
          const recorded = await sql`
            select 1 from outbox where topic = 'aia.agents.tasks.v1'
              and payload->>'task_id' = any(${ids}::text[])`;
          expect(recorded.length).toBe(subtasks);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
