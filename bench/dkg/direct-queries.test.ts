import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RELATION_TYPES } from '../../services/dkg-manager/domain/relations.js';
import {
  type PostgresGraphStore,
  postgresGraphStore,
} from '../../services/dkg-manager/graph/postgres/postgres-graph-store.js';
import { createDatabase, type Database } from '../../services/platform/db.js';
import { wilsonLowerBound } from '../../services/platform/wilson-bound.js';
import { useTestDatabase } from '../../test/harness/databases.js';
import { adapterQueries } from './adapter-queries.js';
import { directQueries } from './direct-queries.js';
import { generateGraph } from './generate-graph.js';
import type { GraphQueries } from './graph-queries.js';
import { drawIds, drawPathPairs, ENTRY_LABELS, idsOf } from './samples.js';
import { seededRandom } from './seeded-random.js';
import { TINY_SHAPE } from './tiny-shape.js';

const database = useTestDatabase('dkg_bench_queries');
let sql: Database;
let store: PostgresGraphStore;
let adapter: GraphQueries;
let direct: GraphQueries;
let entries: string[];
let skills: string[];
/** The generated relations as undirected adjacency: the reference the paths are checked with. */
const adjacent = new Map<string, Set<string>>();
beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-bench-test', max: 2 });
  store = postgresGraphStore(sql);
  await store.migrate();
  const graph = generateGraph(TINY_SHAPE, 5);
  await store.importGraph({ nodes: graph.nodes(), edges: graph.edges() });
  const relations: readonly string[] = RELATION_TYPES;
  for (const { type, from, to } of graph.edges()) {
    if (!relations.includes(type)) continue;
    for (const [a, b] of [
      [from, to],
      [to, from],
    ] as const)
      adjacent.set(a, (adjacent.get(a) ?? new Set()).add(b));
  }
  adapter = adapterQueries(store, sql);
  direct = directQueries(sql);
  entries = await idsOf(sql, ENTRY_LABELS);
  skills = await idsOf(sql, ['Skill']);
});
afterAll(async () => {
  await sql?.end();
});

describe("the DKG benchmark's direct SQL", () => {
  it('ranks the same agents in the same order as the service, with the same page token', async () => {
    let paged = 0;
    for (const skill of skills) {
      const viaService = await adapter.rankAgents(skill, 5);
      expect(await direct.rankAgents(skill, 5)).toEqual(viaService);
      const bounds = viaService.agents.map((row) => row.success_lower_bound);
      expect(bounds).toEqual([...bounds].sort((a, b) => b - a));
      for (const row of viaService.agents)
        expect(row.success_lower_bound).toBe(wilsonLowerBound(row.successes, row.runs));
      if (viaService.next_cursor) paged++;
    }
    expect(paged).toBeGreaterThan(0);
  });

  it('finds the same neighbourhood, nodes and edges in the same order, at every hop count', async () => {
    for (const id of drawIds(seededRandom(1), entries, 10)) {
      for (const hops of [0, 1, 2, 3]) {
        const viaAdapter = await adapter.neighbourhood(id, hops);
        expect(await direct.neighbourhood(id, hops)).toEqual(viaAdapter);
        expect(viaAdapter.nodes.map((node) => node.id)).toContain(id);
      }
    }
  });

  it('finds the same shortest path as the adapter, or none when the adapter finds none', async () => {
    const pairs = await drawPathPairs(sql, seededRandom(2), entries, { count: 40, maxHops: 4 });
    let found = 0;
    let missing = 0;
    for (const { from, to } of pairs) {
      for (const maxHops of [1, 4]) {
        const viaAdapter = await adapter.shortestPath(from, to, maxHops);
        expect(await direct.shortestPath(from, to, maxHops)).toEqual(viaAdapter);
        if (viaAdapter) found++;
        else missing++;
      }
    }
    // Both cases occur, so both were compared.
    expect(found).toBeGreaterThan(0);
    expect(missing).toBeGreaterThan(0);
  });

  it('finds chains as short as a breadth-first search of the generated edges says', async () => {
    const distance = (from: string, to: string) => {
      const seen = new Map([[from, 0]]);
      for (const queue = [from]; queue.length > 0; ) {
        const at = queue.shift() as string;
        if (at === to) return seen.get(at) as number;
        for (const next of adjacent.get(at) ?? [])
          if (!seen.has(next)) {
            seen.set(next, (seen.get(at) as number) + 1);
            queue.push(next);
          }
      }
      return Number.POSITIVE_INFINITY;
    };
    const pairs = await drawPathPairs(sql, seededRandom(3), entries, { count: 40, maxHops: 4 });
    const lengths = new Set<number>();
    for (const { from, to } of pairs) {
      const path = await adapter.shortestPath(from, to, 3);
      const shortest = distance(from, to);
      if (shortest > 3) {
        expect(path).toBeUndefined();
        continue;
      }
      lengths.add(shortest);
      expect(path?.edges).toHaveLength(shortest);
      const ids = path?.nodes.map((node) => node.id) ?? [];
      expect([ids[0], ids[ids.length - 1]]).toEqual([from, to]);
      for (const [k, edge] of (path?.edges ?? []).entries())
        expect([edge.from, edge.to].sort()).toEqual([ids[k], ids[k + 1]].sort());
    }
    expect(lengths.size).toBeGreaterThan(2);
  });

  it('answers a path from an entry to itself, and nothing for an unknown id, as the adapter does', async () => {
    const [id] = entries as [string];
    const itself = await direct.shortestPath(id, id, 4);
    expect(itself).toEqual(await adapter.shortestPath(id, id, 4));
    expect(itself?.edges).toEqual([]);
    const unknown = '00000000-0000-8000-8000-000000000000';
    expect(await direct.shortestPath(id, unknown, 4)).toBeUndefined();
    expect(await adapter.shortestPath(id, unknown, 4)).toBeUndefined();
    expect(await direct.neighbourhood(unknown, 3)).toEqual({ nodes: [], edges: [] });
    expect(await adapter.neighbourhood(unknown, 3)).toEqual({ nodes: [], edges: [] });
  });
});
