import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { dkgApp } from '../testing/dkg-app.js';

const database = useTestDatabase('dkg_queries');
let sql: Database;
let dkg: ReturnType<typeof dkgApp>;
const ids: Record<string, string> = {};

interface NodeView {
  id: string;
  label: string;
  name: string | null;
}
interface Subgraph {
  nodes: NodeView[];
  edges: { type: string; from_id: string; to_id: string; level: number | null }[];
}
const get = async <T>(path: string) => {
  const res = await dkg.call('GET', path);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as T;
};

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-query-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  dkg = dkgApp(sql);
  const create = async (registry: string, name: string, description = '') => {
    const res = await dkg.call('POST', `/${registry}`, { body: { name, description } });
    ids[name] = ((await res.json()) as { entry: { id: string } }).entry.id;
  };
  await create('agents', 'Analyst');
  await create('skills', 'Market research', 'Sizes a market from public sources');
  await create('tools', 'Web search', 'Searches the public web');
  await create('strategies', 'Search then summarise', 'Searches, then condenses');
  const relate = (type: string, from: string, to: string, extra = {}) =>
    dkg.call('PUT', '/relations', {
      body: { type, from_id: ids[from], to_id: ids[to], ...extra },
    });
  await relate('HAS_SKILL', 'Analyst', 'Market research', { level: 3 });
  await relate('REQUIRES', 'Market research', 'Web search');
  await relate('USES', 'Search then summarise', 'Web search');
  // A second version, so that versions exist beside the entries.
  await dkg.call('POST', `/tools/${ids['Web search']}/versions`, { body: { tags: ['web'] } });
});
afterAll(async () => {
  await sql?.end();
});

describe('search', () => {
  it('finds entries by the words beginning their names and descriptions, not their versions', async () => {
    const { results } = await get<{ results: NodeView[] }>('/search?q=search');
    expect(results.map((r) => r.name).sort()).toEqual(['Search then summarise', 'Web search']);
    const tools = await get<{ results: NodeView[] }>('/search?q=publ%20sear&registry=tools');
    expect(tools.results.map((r) => r.name)).toEqual(['Web search']);
  });

  it('refuses an empty query and an unknown registry, naming each', async () => {
    const res = await dkg.call('GET', '/search?q=&registry=recipes');
    expect(res.status).toBe(422);
    const { errors } = (await res.json()) as { errors: { field: string }[] };
    expect(errors.map((e) => e.field).sort()).toEqual(['q', 'registry']);
  });
});

describe('neighbourhoods and paths', () => {
  it('gives what lies within the hops asked, following relations only', async () => {
    const one = await get<Subgraph>(`/graph/neighbourhood?id=${ids['Web search']}`);
    expect(one.nodes.map((n) => n.name).sort()).toEqual([
      'Market research',
      'Search then summarise',
      'Web search',
    ]);
    const two = await get<Subgraph>(`/graph/neighbourhood?id=${ids['Web search']}&hops=2`);
    expect(two.nodes.map((n) => n.name)).toContain('Analyst');
    expect(two.nodes.every((n) => n.label !== 'Version')).toBe(true);
    expect(two.edges.find((e) => e.type === 'HAS_SKILL')?.level).toBe(3);
  });

  it('explains how an agent relates to a strategy by the chain between them', async () => {
    const path = await get<Subgraph>(
      `/graph/path?from=${ids.Analyst}&to=${ids['Search then summarise']}`,
    );
    expect(path.nodes.map((n) => n.name)).toEqual([
      'Analyst',
      'Market research',
      'Web search',
      'Search then summarise',
    ]);
    expect(path.edges.map((e) => e.type)).toEqual(['HAS_SKILL', 'REQUIRES', 'USES']);
    const short = await dkg.call(
      'GET',
      `/graph/path?from=${ids.Analyst}&to=${ids['Search then summarise']}&max_hops=2`,
    );
    expect(short.status).toBe(404);
  });

  it('refuses unknown ids naming the field, and hops out of range', async () => {
    const unknown = '00000000-0000-4000-8000-000000000009';
    const path = await dkg.call('GET', `/graph/path?from=${ids.Analyst}&to=${unknown}`);
    expect(path.status).toBe(422);
    expect(((await path.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('to');
    const far = await dkg.call('GET', `/graph/neighbourhood?id=${ids.Analyst}&hops=4`);
    expect(far.status).toBe(422);
    expect((await dkg.call('GET', `/graph/neighbourhood?id=${unknown}`)).status).toBe(422);
  });
});
