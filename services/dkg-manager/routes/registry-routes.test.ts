import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { dkgApp } from '../testing/dkg-app.js';

const database = useTestDatabase('dkg_registries');
let sql: Database;
let dkg: ReturnType<typeof dkgApp>;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  dkg = dkgApp(sql);
});
afterAll(async () => {
  await sql?.end();
});

interface EntryBody {
  id: string;
  name: string;
  owner: string;
  current_version: number;
  tags: string[];
  description: string;
}
interface VersionBody {
  id: string;
  number: number;
  name: string;
  description: string;
  spec: Record<string, unknown>;
}
type Created = { entry: EntryBody; version: VersionBody };
interface Problem {
  type: string;
  errors?: { field: string; reason: string }[];
}

let serial = 0;
const fresh = (name: string) => `${name} ${++serial}`;
const create = async (registry: string, body: Record<string, unknown>, headers = {}) => {
  const res = await dkg.call('POST', `/${registry}`, { body, headers });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
};
const relate = (body: Record<string, unknown>) => dkg.call('PUT', '/relations', { body });
const problemOf = async (res: Response) => (await res.json()) as Problem;
/** Every node and edge, to show a refusal changed nothing. */
const graphSize = async () =>
  (
    await sql<{ size: string }[]>`
      select (select count(*) from graph_nodes) || '/' || (select count(*) from graph_edges) ||
             '/' || (select md5(string_agg(properties::text, ',' order by id)) from graph_nodes) as size`
  )[0]?.size;

describe('registry entries and their versions', () => {
  it('registers an entry with version 1, owned by the caller', async () => {
    const name = fresh('Summarise');
    const { entry, version } = await create('skills', {
      name,
      description: 'Condenses text',
      tags: ['writing'],
      spec: { inputs: ['text'] },
    });
    expect(entry).toMatchObject({ name, owner: 'ada', current_version: 1, tags: ['writing'] });
    expect(version).toMatchObject({ number: 1, name, spec: { inputs: ['text'] } });
    const read = await dkg.call('GET', `/skills/${entry.id}`);
    expect(((await read.json()) as { entry: EntryBody }).entry).toEqual(entry);
    // An entry is found only in its own registry.
    expect((await dkg.call('GET', `/tools/${entry.id}`)).status).toBe(404);
  });

  it('adds versions that leave earlier ones as they were, each derived from the one before', async () => {
    const { entry, version: first } = await create('strategies', {
      name: fresh('Plan then act'),
      description: 'first try',
      spec: { steps: 2 },
    });
    const res = await dkg.call('POST', `/strategies/${entry.id}/versions`, {
      body: { description: 'better', spec: { steps: 3 } },
    });
    expect(res.status, await res.clone().text()).toBe(201);
    const { entry: now, version: second } = (await res.json()) as Created;
    expect(now).toMatchObject({ current_version: 2, description: 'better', name: entry.name });
    expect(second).toMatchObject({ number: 2, spec: { steps: 3 } });
    const v1 = await dkg.call('GET', `/strategies/${entry.id}/versions/1`);
    expect(((await v1.json()) as { version: VersionBody }).version).toEqual(first);
    const all = await dkg.call('GET', `/strategies/${entry.id}/versions`);
    const numbers = ((await all.json()) as { versions: VersionBody[] }).versions.map(
      (v) => v.number,
    );
    expect(numbers).toEqual([1, 2]);
    const lineage = await postgresGraphStore(sql).read((tx) =>
      tx.reaches(second.id, first.id, 'DERIVED_FROM'),
    );
    expect(lineage).toBe(true);
    expect((await dkg.call('GET', `/strategies/${entry.id}/versions/3`)).status).toBe(404);
  });

  it('lists a registry in name order, one page at a time', async () => {
    const prefix = `zz-page-${Date.now()}`;
    for (const letter of ['c', 'a', 'b']) await create('tools', { name: `${prefix} ${letter}` });
    const names: string[] = [];
    let cursor: string | null = '';
    while (cursor !== null) {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const page = (await (await dkg.call('GET', `/tools${query}`)).json()) as {
        entries: EntryBody[];
        next_cursor: string | null;
      };
      expect(page.entries.length).toBeLessThanOrEqual(2);
      names.push(...page.entries.map((e) => e.name));
      cursor = page.next_cursor;
    }
    expect(names.filter((n) => n.startsWith(prefix))).toEqual(
      ['a', 'b', 'c'].map((l) => `${prefix} ${l}`),
    );
  });

  it('replays a create retried with its Idempotency-Key, and refuses the key with another body', async () => {
    const body = { name: fresh('Crawler') };
    const headers = { 'Idempotency-Key': `crawler-${serial}` };
    const first = await create('tools', body, headers);
    const again = await dkg.call('POST', '/tools', { body, headers });
    expect(again.status).toBe(201);
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    expect(await again.json()).toEqual(first);
    const before = await graphSize();
    const other = await dkg.call('POST', '/tools', { body: { name: fresh('Other') }, headers });
    expect(other.status).toBe(409);
    expect(await graphSize()).toBe(before);
  });

  it('finds what a create made when its reply was lost, instead of making it twice', async () => {
    const body = { name: fresh('Lost reply') };
    const headers = { 'Idempotency-Key': `lost-${serial}` };
    const first = await create('tools', body, headers);
    await sql`delete from idempotency_keys where key = ${headers['Idempotency-Key']}`;
    const retried = await create('tools', body, headers);
    expect(retried).toEqual(first);
  });
});

describe('bad input to the registries changes nothing', () => {
  it('refuses a name the registry has, in any case or spacing (409 name_taken)', async () => {
    const name = fresh('Web Search');
    await create('tools', { name });
    const before = await graphSize();
    const res = await dkg.call('POST', '/tools', {
      body: { name: `  ${name.toUpperCase().replace(' ', '   ')} ` },
    });
    expect(res.status).toBe(409);
    const problem = await problemOf(res);
    expect(problem.type).toBe('urn:aia:problem:name_taken');
    expect(problem.errors?.[0]?.field).toBe('name');
    expect(await graphSize()).toBe(before);
    // Another registry may use the name.
    await create('skills', { name });
  });

  it("refuses a rename onto another entry's name", async () => {
    const taken = fresh('Taken');
    await create('skills', { name: taken });
    const { entry } = await create('skills', { name: fresh('Mine') });
    const before = await graphSize();
    const res = await dkg.call('POST', `/skills/${entry.id}/versions`, { body: { name: taken } });
    expect(res.status).toBe(409);
    expect(await graphSize()).toBe(before);
  });

  it('refuses oversized and malformed fields with 422 naming each', async () => {
    const before = await graphSize();
    const res = await dkg.call('POST', '/skills', {
      body: {
        name: '',
        description: 'x'.repeat(2001),
        tags: Array.from({ length: 21 }, (_, i) => `t${i}`),
        spec: { blob: 'y'.repeat(17_000) },
        derived_from: 'not-a-uuid',
      },
    });
    expect(res.status).toBe(422);
    const fields = [...new Set((await problemOf(res)).errors?.map((e) => e.field))].sort();
    expect(fields).toEqual(['derived_from', 'description', 'name', 'spec', 'tags']);
    expect(await graphSize()).toBe(before);
  });

  it('refuses an unknown derived_from with 422 naming it', async () => {
    const before = await graphSize();
    const res = await dkg.call('POST', '/skills', {
      body: { name: fresh('Orphan'), derived_from: '00000000-0000-4000-8000-000000000000' },
    });
    expect(res.status).toBe(422);
    expect((await problemOf(res)).errors?.[0]?.field).toBe('derived_from');
    expect(await graphSize()).toBe(before);
  });

  it('stores a Cypher-looking name as plain data', async () => {
    const name = `${fresh('x')}'}) MATCH (n) DETACH DELETE n //`;
    const { entry } = await create('skills', { name });
    const read = (await (await dkg.call('GET', `/skills/${entry.id}`)).json()) as {
      entry: EntryBody;
    };
    expect(read.entry.name).toBe(name);
  });

  it('answers 404 for an unknown entry, 422 for an id that is not one, 403 without the scope or as another', async () => {
    expect((await dkg.call('GET', '/agents/00000000-0000-4000-8000-000000000000')).status).toBe(
      404,
    );
    const bad = await dkg.call('GET', '/agents/42');
    expect(bad.status).toBe(422);
    expect((await problemOf(bad)).errors?.[0]?.field).toBe('id');
    const before = await graphSize();
    const reader = await dkg.call('POST', '/agents', {
      scope: 'dkg:read',
      body: { name: fresh('A') },
    });
    expect(reader.status).toBe(403);
    const { entry } = await create('agents', { name: fresh('Owned') });
    const other = await dkg.call('POST', `/agents/${entry.id}/versions`, { as: 'bob', body: {} });
    expect(other.status).toBe(403);
    expect((await dkg.call('GET', `/agents/${entry.id}`, { scope: 'ledger:read' })).status).toBe(
      403,
    );
    expect(await graphSize()).not.toBe(before);
  });
});

describe('relations', () => {
  it('sets agent HAS_SKILL with a level, seen from both ends, and removes it', async () => {
    const agent = (await create('agents', { name: fresh('Analyst') })).entry;
    const skill = (await create('skills', { name: fresh('Forecasting') })).entry;
    const set = await relate({ type: 'HAS_SKILL', from_id: agent.id, to_id: skill.id, level: 4 });
    expect(set.status, await set.clone().text()).toBe(200);
    const seen = (await (await dkg.call('GET', `/skills/${skill.id}/relations`)).json()) as {
      relations: {
        type: string;
        direction: string;
        node: { id: string; name: string };
        level: number;
      }[];
    };
    expect(seen.relations).toEqual([
      {
        type: 'HAS_SKILL',
        direction: 'in',
        node: { id: agent.id, label: 'Agent', name: agent.name },
        level: 4,
      },
    ]);
    const path = `/relations/HAS_SKILL/${agent.id}/${skill.id}`;
    expect((await dkg.call('DELETE', path)).status).toBe(204);
    expect((await dkg.call('DELETE', path)).status).toBe(404);
  });

  it('applies a strategy to a task type by name, once however often it is said', async () => {
    const strategy = (await create('strategies', { name: fresh('Divide') })).entry;
    for (const name of ['Market research', 'market  RESEARCH']) {
      const res = await relate({ type: 'APPLIES_TO', from_id: strategy.id, to_task_type: name });
      expect(res.status, await res.clone().text()).toBe(200);
    }
    const seen = (await (await dkg.call('GET', `/strategies/${strategy.id}/relations`)).json()) as {
      relations: { node: { label: string; name: string } }[];
    };
    expect(seen.relations.map((r) => r.node)).toEqual([
      expect.objectContaining({ label: 'TaskType', name: 'Market research' }),
    ]);
  });

  it('refuses unknown ends, ends of the wrong kind and a missing or stray level, changing nothing', async () => {
    const skill = (await create('skills', { name: fresh('Parsing') })).entry;
    const tool = (await create('tools', { name: fresh('Parser') })).entry;
    const before = await graphSize();
    const unknown = '00000000-0000-4000-8000-000000000001';
    const cases: [Record<string, unknown>, string[]][] = [
      [{ type: 'REQUIRES', from_id: unknown, to_id: tool.id }, ['from_id']],
      [{ type: 'REQUIRES', from_id: skill.id, to_id: unknown }, ['to_id']],
      [{ type: 'REQUIRES', from_id: tool.id, to_id: skill.id }, ['from_id', 'to_id']],
      [{ type: 'HAS_SKILL', from_id: skill.id, to_id: skill.id }, ['from_id', 'level']],
      [{ type: 'REQUIRES', from_id: skill.id, to_id: tool.id, level: 2 }, ['level']],
      [{ type: 'REQUIRES', from_id: skill.id, to_task_type: 'x' }, ['to_task_type']],
      [{ type: 'OWNS', from_id: skill.id, to_id: tool.id }, ['type']],
    ];
    for (const [body, fields] of cases) {
      const res = await relate(body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect((await problemOf(res)).errors?.map((e) => e.field).sort()).toEqual(fields);
    }
    expect(await graphSize()).toBe(before);
  });

  it('refuses a hierarchy cycle (409 hierarchy_cycle) and a lineage cycle (409 lineage_cycle)', async () => {
    const [a, b, c] = [
      (await create('agents', { name: fresh('Chief') })).entry,
      (await create('agents', { name: fresh('Lead') })).entry,
      (await create('agents', { name: fresh('Worker') })).entry,
    ];
    expect((await relate({ type: 'MANAGES', from_id: a.id, to_id: b.id })).status).toBe(200);
    expect((await relate({ type: 'MANAGES', from_id: b.id, to_id: c.id })).status).toBe(200);
    const before = await graphSize();
    for (const [from, to] of [
      [c, a],
      [a, a],
    ] as const) {
      const res = await relate({ type: 'MANAGES', from_id: from.id, to_id: to.id });
      expect(res.status).toBe(409);
      expect((await problemOf(res)).type).toBe('urn:aia:problem:hierarchy_cycle');
    }
    const { entry, version: v1 } = await create('skills', { name: fresh('Evolving') });
    const v2 = (
      (await (
        await dkg.call('POST', `/skills/${entry.id}/versions`, { body: { description: 'v2' } })
      ).json()) as Created
    ).version;
    const mid = await graphSize();
    const res = await relate({ type: 'DERIVED_FROM', from_id: v1.id, to_id: v2.id });
    expect(res.status).toBe(409);
    const problem = await problemOf(res);
    expect(problem.type).toBe('urn:aia:problem:lineage_cycle');
    expect(problem.errors?.[0]?.field).toBe('to_id');
    expect(await graphSize()).toBe(mid);
    expect(mid).not.toBe(before);
  });
});

describe('the API document', () => {
  it('lists every registry route and the relations', async () => {
    const res = await dkg.call('GET', '/openapi.json');
    const paths = Object.keys(((await res.json()) as { paths: Record<string, unknown> }).paths);
    for (const registry of ['skills', 'tools', 'strategies', 'agents']) {
      expect(paths).toContain(`/${registry}/{id}/versions/{number}`);
    }
    expect(paths).toContain('/relations');
  });
});
