import { randomUUID } from 'node:crypto';
import { Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import { RequestMalformedError, TaskNotCancelableError } from '@a2a-js/sdk/errors';
import fc from 'fast-check';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/index.js';
import { callAs } from '../../platform/a2a/testing/call-context.js';
import type { Database } from '../../platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../../platform/migrations.js';
import { PostgresTaskStore, TERMINAL_TASK_STATES } from './task-store.js';
import { TaskSaveRefusedError } from './task-store-errors.js';

const database = useTestDatabase('a2a_task_store');
let sql: Database;
let store: PostgresTaskStore;
const alice = callAs('user:alice');
const bob = callAs('user:bob');

beforeAll(async () => {
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  const own = await loadMigrations(migrationsDirOf('agent-orchestrator'));
  await migrate(sql, { service: 'agent-orchestrator', migrations: own });
  store = new PostgresTaskStore(sql);
});
afterAll(async () => {
  await sql?.end();
});

const ALL_STATES = [
  TaskState.TASK_STATE_SUBMITTED,
  TaskState.TASK_STATE_WORKING,
  TaskState.TASK_STATE_INPUT_REQUIRED,
  TaskState.TASK_STATE_AUTH_REQUIRED,
  TaskState.TASK_STATE_COMPLETED,
  TaskState.TASK_STATE_FAILED,
  TaskState.TASK_STATE_CANCELED,
  TaskState.TASK_STATE_REJECTED,
];
const isTerminal = (state: TaskState) =>
  (TERMINAL_TASK_STATES as readonly string[]).includes(taskStateToJSON(state));

function task(
  state: TaskState,
  {
    id = randomUUID(),
    contextId = randomUUID(),
    text = 'result',
    at = new Date().toISOString(),
  }: { id?: string; contextId?: string; text?: string; at?: string } = {},
): Task {
  return Task.fromJSON({
    id,
    contextId,
    status: { state: taskStateToJSON(state), timestamp: at },
    history: [{ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'do it' }] }],
    artifacts: [{ artifactId: 'a1', parts: [{ text }] }],
    metadata: { attempt: 1 },
  });
}

describe('PostgresTaskStore', () => {
  it('loads back the task it saved, history, artifacts and metadata included', async () => {
    const saved = task(TaskState.TASK_STATE_WORKING);
    await store.save(saved, alice);
    expect(Task.toJSON((await store.load(saved.id, alice)) as Task)).toEqual(Task.toJSON(saved));
  });

  it("hides a caller's task from every other caller and refuses their save", async () => {
    const saved = task(TaskState.TASK_STATE_WORKING);
    await store.save(saved, alice);
    expect(await store.load(saved.id, bob)).toBeUndefined();
    expect(await store.load(saved.id, callAs('user:alice', 'other-tenant'))).toBeUndefined();
    expect(
      await new PostgresTaskStore(sql, { agentId: randomUUID() }).load(saved.id, alice),
    ).toBeUndefined();
    const hijack = task(TaskState.TASK_STATE_COMPLETED, {
      id: saved.id,
      contextId: saved.contextId,
    });
    await expect(store.save(hijack, bob)).rejects.toMatchObject({ reason: 'taken' });
    expect((await store.load(saved.id, alice))?.status?.state).toBe(TaskState.TASK_STATE_WORKING);
  });

  it('refuses, as malformed params, a task holding what the table cannot store', async () => {
    const long = task(TaskState.TASK_STATE_WORKING, { contextId: 'c'.repeat(257) });
    await expect(store.save(long, alice)).rejects.toThrow(/contextId: at most 256/);
    const nul = task(TaskState.TASK_STATE_WORKING, { text: 'a\u0000b' });
    await expect(store.save(nul, alice)).rejects.toBeInstanceOf(RequestMalformedError);
    const surrogate = task(TaskState.TASK_STATE_WORKING, { text: '\ud800' });
    await expect(store.save(surrogate, alice)).rejects.toThrow(
      /task\.artifacts\[0\]\.parts\[0\]\.text/,
    );
    for (const refused of [long, nul, surrogate])
      expect(await store.load(refused.id, alice)).toBeUndefined();
  });

  it('never moves a task out of a terminal state, whatever the pair of states', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...ALL_STATES),
        fc.constantFrom(...ALL_STATES),
        fc.string({ maxLength: 20 }),
        async (from, to, text) => {
          const first = task(from);
          await store.save(first, alice);
          const second = task(to, { id: first.id, contextId: first.contextId, text });
          const refused = isTerminal(from) && from !== to;
          if (refused) {
            // A cancel that lost to the task's end gets the spec's TaskNotCancelable.
            await expect(store.save(second, alice)).rejects.toBeInstanceOf(
              to === TaskState.TASK_STATE_CANCELED ? TaskNotCancelableError : TaskSaveRefusedError,
            );
          } else {
            await store.save(second, alice);
          }
          const stored = (await store.load(first.id, alice)) as Task;
          expect(Task.toJSON(stored)).toEqual(Task.toJSON(refused ? first : second));
        },
      ),
      { numRuns: 120 },
    );
  });

  it('refuses a status time PostgreSQL cannot read as malformed params, not a database error', async () => {
    await expect(
      store.list({ statusTimestampAfter: 'not a time' } as never, alice),
    ).rejects.toBeInstanceOf(RequestMalformedError);
  });

  it('lets exactly one of two concurrent finishing saves win', async () => {
    for (let round = 0; round < 10; round++) {
      const working = task(TaskState.TASK_STATE_WORKING);
      await store.save(working, alice);
      const same = { id: working.id, contextId: working.contextId };
      const outcomes = await Promise.allSettled([
        store.save(task(TaskState.TASK_STATE_COMPLETED, same), alice),
        store.save(task(TaskState.TASK_STATE_CANCELED, same), alice),
      ]);
      const winners = outcomes.flatMap((o, i) =>
        o.status === 'fulfilled'
          ? [i === 0 ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_CANCELED]
          : [],
      );
      expect(winners).toHaveLength(1);
      expect((await store.load(working.id, alice))?.status?.state).toBe(winners[0]);
    }
  });

  describe('list', () => {
    const carol = callAs('user:carol');
    const contextId = randomUUID();
    const saved: Task[] = [];
    beforeAll(async () => {
      for (let i = 0; i < 5; i++) {
        const at = new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString();
        const state = i % 2 ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_WORKING;
        saved.push(task(state, { contextId: i < 3 ? contextId : randomUUID(), at }));
      }
      for (const t of saved) await store.save(t, carol);
      await store.save(task(TaskState.TASK_STATE_WORKING), bob);
    });
    const request = (extra: object = {}) => ({
      tenant: '',
      contextId: '',
      status: TaskState.TASK_STATE_UNSPECIFIED,
      pageSize: 50,
      pageToken: '',
      historyLength: undefined,
      statusTimestampAfter: undefined,
      includeArtifacts: false,
      ...extra,
    });

    it("pages through the caller's tasks newest first, artifacts left out unless asked", async () => {
      const first = await store.list(request({ pageSize: 2 }), carol);
      expect(first.totalSize).toBe(5);
      expect(first.tasks.map((t) => t.id)).toEqual([saved[4]?.id, saved[3]?.id]);
      expect(first.tasks.every((t) => t.artifacts.length === 0)).toBe(true);
      const second = await store.list(
        request({ pageSize: 2, pageToken: first.nextPageToken }),
        carol,
      );
      const third = await store.list(
        request({ pageSize: 2, pageToken: second.nextPageToken }),
        carol,
      );
      expect([...second.tasks, ...third.tasks].map((t) => t.id)).toEqual(
        [saved[2], saved[1], saved[0]].map((t) => t?.id),
      );
      expect(third.nextPageToken).toBe('');
      const full = await store.list(request({ includeArtifacts: true }), carol);
      expect(full.tasks.every((t) => t.artifacts.length === 1)).toBe(true);
    });

    it('filters on context, state and status time', async () => {
      const inContext = await store.list(request({ contextId }), carol);
      expect(inContext.tasks.map((t) => t.id)).toEqual(
        [saved[2], saved[1], saved[0]].map((t) => t?.id),
      );
      const completed = await store.list(
        request({ status: TaskState.TASK_STATE_COMPLETED }),
        carol,
      );
      expect(completed.tasks.map((t) => t.id)).toEqual([saved[3]?.id, saved[1]?.id]);
      const after = await store.list(
        request({ statusTimestampAfter: saved[2]?.status?.timestamp }),
        carol,
      );
      expect(after.tasks.map((t) => t.id)).toEqual([saved[4]?.id, saved[3]?.id]);
    });

    it('refuses a page token it did not write as malformed params', async () => {
      await expect(
        store.list(request({ pageToken: 'bm90IGEgdG9rZW4' }), carol),
      ).rejects.toBeInstanceOf(RequestMalformedError);
    });
  });
});
