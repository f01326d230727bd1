import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NodeLabel } from './graph-schema.js';
import {
  GraphKeyTakenError,
  GraphLabelMismatchError,
  GraphNodeMissingError,
  type GraphStore,
  type Properties,
} from './graph-store.js';

/**
 * The behaviour every GraphStore adapter must have, as a vitest suite: call it inside a test
 * file with a function that opens a migrated store. Each test makes nodes of its own (random
 * ids and keys), so the suite needs no empty graph and runs beside other data.
 */
export function graphStoreContract(name: string, open: () => GraphStore): void {
  describe(`GraphStore contract: ${name}`, () => {
    let store: GraphStore;
    beforeAll(() => {
      store = open();
    });
    const unique = () => randomUUID().slice(0, 8);
    const node = async (label: NodeLabel, properties: Properties = {}) => {
      const id = randomUUID();
      await store.write((tx) => tx.upsertNode({ label, id, properties }));
      return id;
    };
    const edge = (
      type: 'USES' | 'REQUIRES' | 'MANAGES' | 'DERIVED_FROM',
      from: string,
      to: string,
    ) => store.write((tx) => tx.putEdge({ type, from, to, properties: {} }));

    it('stores a node and reads back each property type exactly', async () => {
      const properties = {
        name: 'Web search',
        count: 42,
        ratio: 0.25,
        enabled: false,
        tags: ['search', 'web'],
        scores: [1, 2.5],
      };
      const id = await node('Tool', properties);
      const read = await store.read((tx) => tx.getNode('Tool', id));
      expect(read).toEqual({ label: 'Tool', id, properties });
      expect(await store.read((tx) => tx.findNode(id))).toEqual(read);
      expect(await store.read((tx) => tx.getNode('Skill', id))).toBeUndefined();
    });

    it('replaces all properties on upsert', async () => {
      const id = await node('Skill', { name: 'old', extra: 'gone' });
      await store.write((tx) => tx.upsertNode({ label: 'Skill', id, properties: { name: 'new' } }));
      expect((await store.read((tx) => tx.getNode('Skill', id)))?.properties).toEqual({
        name: 'new',
      });
    });

    it('refuses a second node of a label with the same key, and keeps the first', async () => {
      const key = `k-${unique()}`;
      const first = await node('Skill', { key, name: 'first' });
      await expect(node('Skill', { key, name: 'second' })).rejects.toBeInstanceOf(
        GraphKeyTakenError,
      );
      expect((await store.read((tx) => tx.findByKey('Skill', key)))?.id).toBe(first);
      // Keys are per label.
      await expect(node('Tool', { key })).resolves.toBeTypeOf('string');
    });

    it('refuses an id taken by a node of another label', async () => {
      const id = await node('Tool', { name: 'a tool' });
      await expect(
        store.write((tx) => tx.upsertNode({ label: 'Skill', id, properties: {} })),
      ).rejects.toBeInstanceOf(GraphLabelMismatchError);
      expect((await store.read((tx) => tx.findNode(id)))?.label).toBe('Tool');
    });

    it('lists a label in key order, a page after a key', async () => {
      const prefix = `list-${unique()}`;
      for (const letter of ['c', 'a', 'b']) await node('Strategy', { key: `${prefix}-${letter}` });
      const all = await store.read((tx) =>
        tx.listByKey('Strategy', { afterKey: prefix, limit: 100 }),
      );
      const ours = all.filter((n) => String(n.properties.key).startsWith(prefix));
      expect(ours.map((n) => n.properties.key)).toEqual(
        ['a', 'b', 'c'].map((l) => `${prefix}-${l}`),
      );
      const page = await store.read((tx) =>
        tx.listByKey('Strategy', { afterKey: `${prefix}-a`, limit: 1 }),
      );
      expect(page.map((n) => n.properties.key)).toEqual([`${prefix}-b`]);
    });

    it('rolls a failed write back entirely', async () => {
      const id = randomUUID();
      await expect(
        store.write(async (tx) => {
          await tx.upsertNode({ label: 'Tool', id, properties: {} });
          throw new Error('abandoned');
        }),
      ).rejects.toThrow('abandoned');
      expect(await store.read((tx) => tx.findNode(id))).toBeUndefined();
    });

    it('creates, replaces and deletes an edge; refuses one to a missing node', async () => {
      const [a, b] = [await node('Strategy'), await node('Tool')];
      await store.write((tx) =>
        tx.putEdge({ type: 'USES', from: a, to: b, properties: { weight: 1 } }),
      );
      await store.write((tx) =>
        tx.putEdge({ type: 'USES', from: a, to: b, properties: { weight: 2 } }),
      );
      const out = await store.read((tx) => tx.neighbours(a, { direction: 'out' }));
      expect(out).toHaveLength(1);
      expect(out[0]?.edge).toEqual({ type: 'USES', from: a, to: b, properties: { weight: 2 } });
      const missing = randomUUID();
      await expect(
        store.write((tx) => tx.putEdge({ type: 'USES', from: a, to: missing, properties: {} })),
      ).rejects.toEqual(new GraphNodeMissingError('to', missing));
      expect(await store.write((tx) => tx.deleteEdge('USES', a, b))).toBe(true);
      expect(await store.write((tx) => tx.deleteEdge('USES', a, b))).toBe(false);
      expect(await store.read((tx) => tx.neighbours(a, { direction: 'both' }))).toEqual([]);
    });

    it('sets properties on an existing edge, keeping the others, and creates none', async () => {
      const [agent, skill] = [await node('Agent'), await node('Skill')];
      expect(
        await store.write((tx) => tx.setEdgeProperties('HAS_SKILL', agent, skill, { runs: 1 })),
      ).toBe(false);
      expect(await store.read((tx) => tx.neighbours(agent, { direction: 'out' }))).toEqual([]);
      await store.write((tx) =>
        tx.putEdge({ type: 'HAS_SKILL', from: agent, to: skill, properties: { level: 3 } }),
      );
      const set = (properties: Properties) =>
        store.write((tx) => tx.setEdgeProperties('HAS_SKILL', agent, skill, properties));
      expect(await set({ runs: 2, cost: '0.5' })).toBe(true);
      // Again with the same totals: a re-copy changes nothing.
      expect(await set({ runs: 2, cost: '0.5' })).toBe(true);
      const [out] = await store.read((tx) => tx.neighbours(agent, { direction: 'out' }));
      expect(out?.edge.properties).toEqual({ level: 3, runs: 2, cost: '0.5' });
      // Only the edge of the type given.
      expect(
        await store.write((tx) => tx.setEdgeProperties('MANAGES', agent, skill, { runs: 9 })),
      ).toBe(false);
    });

    it('finds neighbours by direction and edge type', async () => {
      const [strategy, tool, skill, other] = [
        await node('Strategy'),
        await node('Tool'),
        await node('Skill'),
        await node('Strategy'),
      ];
      await edge('USES', strategy, tool);
      await edge('REQUIRES', skill, tool);
      await edge('USES', other, tool);
      const ids = async (direction: 'out' | 'in' | 'both', types?: ('USES' | 'REQUIRES')[]) =>
        (await store.read((tx) => tx.neighbours(tool, { direction, ...(types ? { types } : {}) })))
          .map((n) => n.node.id)
          .sort();
      expect(await ids('out')).toEqual([]);
      expect(await ids('in')).toEqual([strategy, skill, other].sort());
      expect(await ids('both', ['USES'])).toEqual([strategy, other].sort());
      const [byStrategy] = await store.read((tx) => tx.neighbours(strategy, { direction: 'both' }));
      expect(byStrategy?.node.label).toBe('Tool');
    });

    it('gives the k-hop neighbourhood with the edges among it', async () => {
      // a -> b -> c -> d, and e -> a with another type.
      const [a, b, c, d, e] = [
        await node('Agent'),
        await node('Agent'),
        await node('Agent'),
        await node('Agent'),
        await node('Version'),
      ];
      await edge('MANAGES', a, b);
      await edge('MANAGES', b, c);
      await edge('MANAGES', c, d);
      await edge('DERIVED_FROM', e, a);
      const around = async (hops: number, types?: 'MANAGES'[]) => {
        const graph = await store.read((tx) =>
          tx.neighbourhood(b, { hops, ...(types ? { types } : {}) }),
        );
        return {
          nodes: graph.nodes.map((n) => n.id).sort(),
          edges: graph.edges.map((x) => `${x.from}>${x.to}`).sort(),
        };
      };
      expect((await around(0)).nodes).toEqual([b]);
      expect(await around(1)).toEqual({
        nodes: [a, b, c].sort(),
        edges: [`${a}>${b}`, `${b}>${c}`].sort(),
      });
      expect((await around(2)).nodes).toEqual([a, b, c, d, e].sort());
      expect((await around(2, ['MANAGES'])).nodes).toEqual([a, b, c, d].sort());
      expect(await store.read((tx) => tx.neighbourhood(randomUUID(), { hops: 2 }))).toEqual({
        nodes: [],
        edges: [],
      });
    });

    it('finds a shortest path over edges in either direction, within the hops given', async () => {
      // s -> x -> y -> t (3 hops) and s <- z -> t (2 hops, against one edge's direction).
      const [s, x, y, t, z] = [
        await node('Agent'),
        await node('Agent'),
        await node('Agent'),
        await node('Agent'),
        await node('Agent'),
      ];
      await edge('MANAGES', s, x);
      await edge('MANAGES', x, y);
      await edge('MANAGES', y, t);
      await edge('MANAGES', z, s);
      await edge('MANAGES', z, t);
      const path = await store.read((tx) => tx.shortestPath(s, t, { maxHops: 6 }));
      expect(path?.nodes.map((n) => n.id)).toEqual([s, z, t]);
      expect(path?.edges.map((e) => [e.type, e.from, e.to])).toEqual([
        ['MANAGES', z, s],
        ['MANAGES', z, t],
      ]);
      expect(await store.read((tx) => tx.shortestPath(s, t, { maxHops: 1 }))).toBeUndefined();
      expect(
        await store.read((tx) => tx.shortestPath(s, t, { maxHops: 6, types: ['USES'] })),
      ).toBeUndefined();
      const self = await store.read((tx) => tx.shortestPath(s, s, { maxHops: 2 }));
      expect(self).toEqual({ nodes: [expect.objectContaining({ id: s })], edges: [] });
    });

    it('follows edges forwards for reachability, and ends on a cycle', async () => {
      const [v1, v2, v3] = [await node('Version'), await node('Version'), await node('Version')];
      await edge('DERIVED_FROM', v3, v2);
      await edge('DERIVED_FROM', v2, v1);
      await edge('DERIVED_FROM', v1, v3);
      expect(await store.read((tx) => tx.reaches(v3, v1, 'DERIVED_FROM'))).toBe(true);
      expect(await store.read((tx) => tx.reaches(v3, v1, 'MANAGES'))).toBe(false);
      await store.write((tx) => tx.deleteEdge('DERIVED_FROM', v1, v3));
      expect(await store.read((tx) => tx.reaches(v1, v3, 'DERIVED_FROM'))).toBe(false);
      expect(await store.read((tx) => tx.reaches(v1, v1, 'DERIVED_FROM'))).toBe(true);
    });

    it('searches names and descriptions by words and word beginnings', async () => {
      const word = `zq${unique().replace(/[^a-z]/g, 'x')}`;
      const tool = await node('Tool', { name: `${word} crawler`, description: 'Fetches pages' });
      const skill = await node('Skill', { name: 'Summaries', description: `of ${word} results` });
      const ids = async (text: string, labels?: NodeLabel[]) =>
        (await store.read((tx) => tx.search(text, { limit: 10, ...(labels ? { labels } : {}) })))
          .map((n) => n.id)
          .sort();
      expect(await ids(word)).toEqual([tool, skill].sort());
      expect(await ids(`${word.slice(0, -1)}`)).toEqual([tool, skill].sort());
      expect(await ids(`${word} fetches`)).toEqual([tool]);
      expect(await ids(word, ['Skill'])).toEqual([skill]);
      expect(await ids(`${word} nowhere`)).toEqual([]);
      expect(await ids('')).toEqual([]);
      // Query syntax of either backend is only words here.
      expect(await ids(`${word}") OR (*:* | !x & "`)).toEqual([]);
      expect(await ids(`"${word}" ${word}*`)).toEqual([tool, skill].sort());
    });

    it('stores Cypher- and SQL-looking text as plain data', async () => {
      const hostile = "x'}) MATCH (n) DETACH DELETE n // '); drop table graph_nodes; --";
      const id = await node('Skill', { name: hostile, key: `${hostile}${unique()}` });
      const read = await store.read((tx) => tx.getNode('Skill', id));
      expect(read?.properties.name).toBe(hostile);
      expect(await store.read((tx) => tx.findNode(id))).toBeDefined();
    });
  });
}
