import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { insertAgent, lockHierarchy, pathToRoot, subtreeHeight } from './agent-store.js';

const database = useTestDatabase('orchestrator_agent_store');
let sql: Database;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'agent-store-test', max: 4 });
  await migrateService(sql, 'agent-orchestrator');
});
afterAll(() => sql?.end());

const agent = async (managerId: string | null = null) => {
  const stored = await insertAgent(sql, {
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
    manager_id: managerId,
    ledger_account_id: randomUUID(),
  });
  if (!stored) throw new Error('not inserted');
  return stored.id;
};
const violation = (constraint: string) =>
  expect.objectContaining({ code: '23514', constraint_name: constraint });

describe('the agents table', () => {
  it('walks the hierarchy: the path from the root, and the height below an agent', async () => {
    const root = await agent();
    const middle = await agent(root);
    const leaf = await agent(middle);
    expect((await pathToRoot(sql, leaf)).map((entry) => entry.id)).toEqual([root, middle, leaf]);
    expect(await subtreeHeight(sql, root)).toBe(2);
    expect(await subtreeHeight(sql, leaf)).toBe(0);
    expect(await pathToRoot(sql, randomUUID())).toEqual([]);
  });

  it('counts only active agents in the height below an agent', async () => {
    const root = await agent();
    const middle = await agent(root);
    const leaf = await agent(middle);
    for (const id of [leaf, middle])
      await sql`update agents set status = 'retired', retired_at = now() where id = ${id}`;
    expect(await subtreeHeight(sql, root)).toBe(0);
  });

  it('refuses, written around the service, an agent managing itself or a cycle', async () => {
    const root = await agent();
    const child = await agent(root);
    await expect(sql`update agents set manager_id = id where id = ${root}`).rejects.toEqual(
      expect.objectContaining({ code: '23514' }),
    );
    await expect(sql`update agents set manager_id = ${child} where id = ${root}`).rejects.toEqual(
      violation('agents_no_cycle'),
    );
  });

  it('refuses a retired manager, and retiring an agent with active reports', async () => {
    const boss = await agent();
    await agent(boss);
    await expect(
      sql`update agents set status = 'retired', retired_at = now() where id = ${boss}`,
    ).rejects.toEqual(violation('agents_retired_without_reports'));
    const retired = await agent();
    await sql`update agents set status = 'retired', retired_at = now() where id = ${retired}`;
    await expect(agent(retired)).rejects.toEqual(violation('agents_manager_active'));
  });

  it('of two concurrent moves written around the service that form a cycle, refuses the second', async () => {
    const x = await agent();
    const y = await agent();
    await whileHolding(
      (first) => first`update agents set manager_id = ${y} where id = ${x}`,
      (second) => second`update agents set manager_id = ${x} where id = ${y}`,
      (moved) => expect(moved).rejects.toEqual(violation('agents_no_cycle')),
    );
  });

  it("takes the service's hierarchy lock: a move around the service waits for lockHierarchy", async () => {
    const x = await agent();
    const y = await agent();
    await whileHolding(
      async (first) => {
        await lockHierarchy(first);
      },
      (second) => second`update agents set manager_id = ${y} where id = ${x}`,
      (moved) => expect(moved).resolves.toBeDefined(),
      (settledBeforeCommit) => expect(settledBeforeCommit).toBe(false),
    );
  });
});

/**
 * Runs `hold` in an open transaction, starts `then` on another connection, waits until that one
 * either finished or waits on a lock, commits the first and hands `then`'s promise to `check`.
 * `settled` (optional) is told whether `then` finished before the commit.
 */
async function whileHolding(
  hold: (tx: Database) => Promise<unknown>,
  then: (other: Database) => Promise<unknown>,
  check: (pending: Promise<unknown>) => Promise<unknown>,
  settled: (settledBeforeCommit: boolean) => void = () => undefined,
): Promise<void> {
  const first = await sql.reserve();
  const second = await sql.reserve();
  try {
    await first`begin`;
    await hold(first as unknown as Database);
    const [{ pid } = { pid: 0 }] = await second<{ pid: number }[]>`select pg_backend_pid() as pid`;
    let done = false;
    const pending = then(second as unknown as Database).finally(() => {
      done = true;
    });
    pending.catch(() => undefined);
    for (;;) {
      const [row] = await sql<{ waiting: boolean }[]>`
        select wait_event_type = 'Lock' as waiting from pg_stat_activity where pid = ${pid}`;
      if (done || row?.waiting) break;
    }
    settled(done);
    await first`commit`;
    await check(pending);
  } finally {
    first.release();
    second.release();
  }
}
