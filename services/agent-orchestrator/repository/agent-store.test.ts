import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { insertAgent, pathToRoot, subtreeHeight } from './agent-store.js';

const database = useTestDatabase('orchestrator_agent_store');
let sql: Database;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'agent-store-test', max: 2 });
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
    runtime: { kind: 'tool', tool: 'x' },
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
});
