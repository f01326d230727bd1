import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/harness/databases.js';
import { createDatabase, type Database } from '../../../platform/db.js';
import { GraphInputError } from '../graph-input.js';
import {
  type GraphEdge,
  GraphKeyTakenError,
  GraphLabelMismatchError,
  type GraphNode,
  GraphNodeMissingError,
} from '../graph-store.js';
import { type PostgresGraphStore, postgresGraphStore } from './postgres-graph-store.js';

const database = useTestDatabase('dkg_bulk_import');
let sql: Database;
let store: PostgresGraphStore;
beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-bulk-import-test', max: 2 });
  store = postgresGraphStore(sql);
  await store.migrate();
});
afterAll(async () => {
  await sql?.end();
});

const skill = (name: string, extra: Record<string, string | number> = {}): GraphNode => ({
  label: 'Skill',
  id: randomUUID(),
  properties: { key: `${name}-${randomUUID()}`, name, ...extra },
});
const agent = (): GraphNode => ({ label: 'Agent', id: randomUUID(), properties: { name: 'a' } });
const hasSkill = (from: GraphNode, to: GraphNode, runs: number): GraphEdge => ({
  type: 'HAS_SKILL',
  from: from.id,
  to: to.id,
  properties: { level: 3, runs, successes: Math.floor(runs / 2) },
});
const countOf = async (ids: readonly string[]) => {
  const [row] = await sql<{ nodes: number; edges: number }[]>`
    select (select count(*)::int from graph_nodes where id = any(${[...ids]})) as nodes,
           (select count(*)::int from graph_edges where from_id = any(${[...ids]})) as edges`;
  return row;
};

describe('PostgreSQL bulk import', () => {
  it('writes nodes and edges across batches, readable through the contract', async () => {
    const skills = Array.from({ length: 7 }, (_, i) => skill(`skill ${i}`));
    const agents = Array.from({ length: 5 }, agent);
    const edges = agents.flatMap((from, i) => skills.slice(i).map((to) => hasSkill(from, to, i)));
    // A generator, read once, in batches of 3 rows.
    function* nodes() {
      yield* skills;
      yield* agents;
    }

    const counts = await store.importGraph({ nodes: nodes(), edges }, 3);

    expect(counts).toEqual({ nodes: 12, edges: edges.length });
    const read = await store.read((tx) =>
      tx.neighbours(skills[6]?.id as string, { direction: 'in', types: ['HAS_SKILL'] }),
    );
    expect(read.map((n) => n.node.id).sort()).toEqual(agents.map((a) => a.id).sort());
    expect(read.find((n) => n.node.id === agents[4]?.id)?.edge.properties).toEqual({
      level: 3,
      runs: 4,
      successes: 2,
    });
    expect(await store.read((tx) => tx.getNode('Skill', skills[0]?.id as string))).toEqual(
      skills[0],
    );
  });

  it('replaces properties of what exists, the last of duplicates winning, as upserts do', async () => {
    const node = skill('first');
    const other = agent();
    await store.importGraph({ nodes: [node, other], edges: [hasSkill(other, node, 1)] });
    const renamed = { ...node, properties: { key: node.properties.key as string, name: 'last' } };
    const middle = { ...node, properties: { key: node.properties.key as string, name: 'middle' } };

    await store.importGraph({
      nodes: [middle, renamed],
      edges: [hasSkill(other, node, 8), hasSkill(other, node, 9)],
    });

    expect((await store.read((tx) => tx.getNode('Skill', node.id)))?.properties.name).toBe('last');
    const [edge] = await store.read((tx) => tx.neighbours(node.id, { direction: 'in' }));
    expect(edge?.edge.properties.runs).toBe(9);
  });

  it('refuses a key another node of the label has, writing nothing', async () => {
    const first = skill('taken');
    await store.importGraph({ nodes: [first] });
    const fresh = skill('fresh');
    const clash = { ...skill('clash'), properties: { key: first.properties.key as string } };

    const imported = store.importGraph({ nodes: [fresh, clash] });

    await expect(imported).rejects.toBeInstanceOf(GraphKeyTakenError);
    await expect(imported).rejects.toMatchObject({ label: 'Skill', key: first.properties.key });
    expect(await countOf([fresh.id, clash.id])).toEqual({ nodes: 0, edges: 0 });
  });

  it('refuses an id that a node of another label has, naming it', async () => {
    const tool: GraphNode = { label: 'Tool', id: randomUUID(), properties: {} };
    await store.importGraph({ nodes: [tool] });
    const fresh = agent();

    const imported = store.importGraph({ nodes: [fresh, { ...tool, label: 'Skill' }] });

    await expect(imported).rejects.toBeInstanceOf(GraphLabelMismatchError);
    await expect(imported).rejects.toMatchObject({ id: tool.id, label: 'Skill' });
    expect(await countOf([fresh.id])).toEqual({ nodes: 0, edges: 0 });
  });

  it('refuses an edge whose end does not exist, naming the end, writing nothing', async () => {
    const from = agent();
    const to = skill('end');
    const nowhere = randomUUID();

    const toMissing = store.importGraph({
      nodes: [from, to],
      edges: [hasSkill(from, to, 1), { ...hasSkill(from, to, 1), to: nowhere }],
    });
    await expect(toMissing).rejects.toBeInstanceOf(GraphNodeMissingError);
    await expect(toMissing).rejects.toMatchObject({ end: 'to', id: nowhere });

    const fromMissing = store.importGraph({
      nodes: [from, to],
      edges: [{ ...hasSkill(from, to, 1), from: nowhere }],
    });
    await expect(fromMissing).rejects.toMatchObject({ end: 'from', id: nowhere });
    expect(await countOf([from.id, to.id])).toEqual({ nodes: 0, edges: 0 });
  });

  it('refuses a property neither backend could store before writing anything', async () => {
    const good = skill('good');
    const bad: GraphNode = { label: 'Skill', id: randomUUID(), properties: { 'Bad-Key': 1 } };

    await expect(store.importGraph({ nodes: [good, bad] })).rejects.toThrow(
      new GraphInputError("property 'Bad-Key': not snake_case"),
    );
    await expect(store.importGraph({ nodes: [good] }, 0)).rejects.toThrow(/batchRows/);
    expect(await countOf([good.id])).toEqual({ nodes: 0, edges: 0 });
  });
});
