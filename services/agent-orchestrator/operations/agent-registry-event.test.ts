import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import {
  type GovernorServer,
  startGovernorServer,
} from '../../../test/service-clients/governor-server.js';
import { agentRegistryRecord } from '../../events/schemas/agent-registry.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { registryApp } from '../testing/registry-app.js';

const database = useTestDatabase('orchestrator_registry_events');
const ledgerDatabase = useTestDatabase('orchestrator_registry_ledger');
let governor: GovernorServer;
let sql: Database;
let registry: ReturnType<typeof registryApp>;

beforeAll(async () => {
  governor = await startGovernorServer(ledgerDatabase.url);
  sql = createDatabase({ url: database.url, applicationName: 'registry-events-test', max: 4 });
  await migrateService(sql, 'agent-orchestrator');
  registry = registryApp(sql, { governorUrl: governor.url });
});
afterAll(async () => {
  await sql?.end();
  await governor?.stop();
});

const skill = (id: string, name: string) => ({
  id,
  name,
  description: name,
  tags: [id, 'test'],
});

/** The registry records of `agentId` in the outbox, in the order they were written. */
const recordsOf = async (agentId: string) =>
  (
    await sql<{ key: string; payload: unknown }[]>`
      select key, payload from outbox
       where topic = 'aia.agents.registry.v1' and key = ${agentId} order by id`
  ).map(({ key, payload }) => {
    expect(key).toBe(agentId);
    return agentRegistryRecord.parse(payload);
  });

const register = async (name: string, extra: Record<string, unknown> = {}) => {
  const res = await registry.call('POST', '/agents', {
    body: {
      name,
      description: `${name} does things`,
      runtime: { kind: 'tool', tool: 'echo' },
      ...extra,
    },
  });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { agent: { id: string } }).agent.id;
};

describe('aia.agents.registry.v1 from the registry', () => {
  it('is written on registration, update and retirement, its revision rising by one each time', async () => {
    const manager = await register('Registry lead');
    const id = await register('Registry analyst', {
      manager_id: manager,
      skills: [skill('market-research', 'Market research')],
    });
    expect(
      (
        await registry.call('PATCH', `/agents/${id}`, {
          body: { name: 'Senior analyst', manager_id: null },
        })
      ).status,
    ).toBe(200);
    expect((await registry.call('POST', `/agents/${id}/retire`)).status).toBe(200);

    const records = await recordsOf(id);
    expect(records.map((r) => [r.revision, r.name, r.manager_id, r.status])).toEqual([
      [1, 'Registry analyst', manager, 'active'],
      [2, 'Senior analyst', null, 'active'],
      [3, 'Senior analyst', null, 'retired'],
    ]);
    expect(records[0]).toMatchObject({
      agent_id: id,
      description: 'Registry analyst does things',
      skills: [
        { id: 'market-research', name: 'Market research', tags: ['market-research', 'test'] },
      ],
    });
    expect(Date.parse(records[2]?.changed_at as string)).toBeGreaterThanOrEqual(
      Date.parse(records[0]?.changed_at as string),
    );
  });

  it('is not written by a refused change, nor by retiring a retired agent again', async () => {
    const manager = await register('Busy lead');
    const report = await register('Busy report', { manager_id: manager });
    expect((await registry.call('POST', `/agents/${manager}/retire`)).status).toBe(409);
    expect(
      (await registry.call('PATCH', `/agents/${report}`, { body: { manager_id: report } })).status,
    ).toBe(409);
    expect((await recordsOf(manager)).map((r) => r.revision)).toEqual([1]);
    expect((await recordsOf(report)).map((r) => r.revision)).toEqual([1]);

    expect((await registry.call('POST', `/agents/${report}/retire`)).status).toBe(200);
    expect((await registry.call('POST', `/agents/${report}/retire`)).status).toBe(200);
    expect((await recordsOf(report)).map((r) => [r.revision, r.status])).toEqual([
      [1, 'active'],
      [2, 'retired'],
    ]);
  });

  it('gives concurrent updates of one agent distinct revisions in the order they committed', async () => {
    const id = await register('Raced');
    const names = ['One', 'Two', 'Three', 'Four', 'Five'];
    await Promise.all(
      names.map((name) => registry.call('PATCH', `/agents/${id}`, { body: { name } })),
    );
    const records = await recordsOf(id);
    expect(records.map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6]);
    const [agent] = await sql<{ name: string }[]>`select name from agents where id = ${id}`;
    // The highest revision is the state the registry kept.
    expect(records.at(-1)?.name).toBe(agent?.name);
  });
});
