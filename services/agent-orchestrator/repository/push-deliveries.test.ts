import { randomUUID } from 'node:crypto';
import { Task, TaskState, taskStateToJSON } from '@a2a-js/sdk';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/index.js';
import { callAs } from '../../platform/a2a/testing/call-context.js';
import type { Database } from '../../platform/db.js';
import { loadMigrations, migrate, migrationsDirOf } from '../../platform/migrations.js';
import { inTransaction } from '../../platform/transactions.js';
import { deletePushConfig, savePushConfig } from './push-configs.js';
import { dropDelivery, leaseDueDeliveries, retryDeliveryLater } from './push-deliveries.js';
import { PostgresTaskStore } from './task-store.js';

const database = useTestDatabase('a2a_push_deliveries');
let sql: Database;
let store: PostgresTaskStore;
const ada = callAs('user:ada');

beforeAll(async () => {
  sql = postgres(database.url, { max: 4, onnotice: () => {} });
  const own = await loadMigrations(migrationsDirOf('agent-orchestrator'));
  await migrate(sql, { service: 'agent-orchestrator', migrations: own });
  store = new PostgresTaskStore(sql);
});
afterAll(async () => {
  await sql?.end();
});

const taskIn = (id: string, state: TaskState, at: string, artifacts: unknown[] = []) =>
  Task.fromJSON({
    id,
    contextId: 'ctx',
    status: { state: taskStateToJSON(state), timestamp: at },
    history: [{ messageId: randomUUID(), role: 'ROLE_USER', parts: [{ text: 'secret prompt' }] }],
    artifacts,
  });
const hook = (id: string) => ({
  id,
  url: `https://hooks.example/${id}`,
  token: '',
  authentication: undefined,
});
const pending = async (taskId: string) =>
  (
    await sql<{ n: number }[]>`
      select count(*)::int as n from a2a_push_deliveries where task_id = ${taskId}`
  )[0]?.n;
const mine = (taskId: string, held: Awaited<ReturnType<typeof leaseDueDeliveries>>) =>
  held.filter((d) => d.taskId === taskId);
const lease = (leaseSeconds = 60) => leaseDueDeliveries(sql, { limit: 100, leaseSeconds });

/** A task with configs `a` and `b`, saved working, then completed with an artifact. */
async function taskWithTwoLines() {
  const id = randomUUID();
  await store.save(taskIn(id, TaskState.TASK_STATE_SUBMITTED, '2026-01-01T00:00:00.000Z'), ada);
  await savePushConfig(sql, id, hook('a'), 10);
  await savePushConfig(sql, id, hook('b'), 10);
  await store.save(taskIn(id, TaskState.TASK_STATE_WORKING, '2026-01-01T00:00:01.000Z'), ada);
  const answer = [{ artifactId: 'x', parts: [{ text: 'done' }] }];
  await store.save(
    taskIn(id, TaskState.TASK_STATE_COMPLETED, '2026-01-01T00:00:02.000Z', answer),
    ada,
  );
  return id;
}

describe('push notifications in a2a_push_deliveries', () => {
  it('are written per config for each saved change, without the history; a save that changes nothing writes none', async () => {
    const id = await taskWithTwoLines();
    expect(await pending(id)).toBe(4);
    const again = taskIn(id, TaskState.TASK_STATE_COMPLETED, '2026-01-01T00:00:02.000Z', [
      { artifactId: 'x', parts: [{ text: 'done' }] },
    ]);
    await store.save(again, ada);
    expect(await pending(id)).toBe(4);
    const [row] = await sql<{ task: Record<string, unknown> }[]>`
      select task from a2a_push_deliveries where task_id = ${id} order by seq limit 1`;
    expect(row?.task).toMatchObject({ id, contextId: 'ctx' });
    expect(row?.task).not.toHaveProperty('history');
  });

  it('announce nothing of a save that was rolled back', async () => {
    const id = randomUUID();
    await store.save(taskIn(id, TaskState.TASK_STATE_SUBMITTED, '2026-01-01T00:00:00.000Z'), ada);
    await savePushConfig(sql, id, hook('a'), 10);
    const failed = inTransaction(sql, async (tx) => {
      await new PostgresTaskStore(tx).save(
        taskIn(id, TaskState.TASK_STATE_WORKING, '2026-01-01T00:00:01.000Z'),
        ada,
      );
      throw new Error('rolled back');
    });
    await expect(failed).rejects.toThrow('rolled back');
    expect(await pending(id)).toBe(0);
    await store.save(taskIn(id, TaskState.TASK_STATE_WORKING, '2026-01-01T00:00:01.000Z'), ada);
    expect(await pending(id)).toBe(1);
  });

  it('are leased first of each line only, again once a lease ran out (a dead worker), and the next one after the first is dropped', async () => {
    const id = await taskWithTwoLines();
    const first = mine(id, await lease(1));
    expect(first.map((d) => d.config.id).sort()).toEqual(['a', 'b']);
    expect(first.map((d) => (d.task as { status: { state: string } }).status.state)).toEqual([
      'TASK_STATE_WORKING',
      'TASK_STATE_WORKING',
    ]);
    expect(first.every((d) => d.attempts === 1)).toBe(true);
    // Leased: neither they nor what follows them in their line.
    expect(mine(id, await lease())).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const retaken = mine(id, await lease());
    expect(retaken.map((d) => d.id).sort()).toEqual(first.map((d) => d.id).sort());
    expect(retaken.every((d) => d.attempts === 2)).toBe(true);
    const a = retaken.find((d) => d.config.id === 'a');
    await dropDelivery(sql, a?.id ?? '');
    const next = mine(id, await lease());
    expect(
      next.map((d) => [d.config.id, (d.task as { status: { state: string } }).status.state]),
    ).toEqual([['a', 'TASK_STATE_COMPLETED']]);
  });

  it('hold back their line while one waits for its retry', async () => {
    const id = await taskWithTwoLines();
    const [head] = mine(id, await lease()).filter((d) => d.config.id === 'a');
    await retryDeliveryLater(sql, head?.id ?? '', { delayMs: 60_000, error: 'HTTP 503' });
    expect(mine(id, await lease()).filter((d) => d.config.id === 'a')).toEqual([]);
    const [row] = await sql<{ last_error: string; leased_until: Date | null }[]>`
      select last_error, leased_until from a2a_push_deliveries where id = ${head?.id ?? ''}`;
    expect(row).toEqual({ last_error: 'HTTP 503', leased_until: null });
  });

  it('go with their config when it is deleted', async () => {
    const id = await taskWithTwoLines();
    expect(await deletePushConfig(sql, id, 'a')).toBe(true);
    expect(await pending(id)).toBe(2);
    expect(await deletePushConfig(sql, id, 'a')).toBe(false);
  });
});
