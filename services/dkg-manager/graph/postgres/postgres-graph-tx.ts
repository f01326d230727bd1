import type { Database } from '../../../platform/db.js';
import { checkHops, checkProperties, searchWords } from '../graph-input.js';
import type { EdgeType, NodeLabel } from '../graph-schema.js';
import {
  type GraphEdge,
  GraphKeyTakenError,
  GraphLabelMismatchError,
  type GraphNode,
  GraphNodeMissingError,
  type GraphTx,
  type Neighbour,
  type Properties,
} from '../graph-store.js';
import { shortestPathIn } from './postgres-shortest-path.js';

interface NodeRow {
  id: string;
  label: NodeLabel;
  properties: Properties;
}
interface EdgeRow {
  type: EdgeType;
  from_id: string;
  to_id: string;
  properties: Properties;
}

const nodeOf = ({ id, label, properties }: NodeRow): GraphNode => ({ id, label, properties });
const edgeOf = ({ type, from_id, to_id, properties }: EdgeRow): GraphEdge => ({
  type,
  from: from_id,
  to: to_id,
  properties,
});

const hasCode = (error: unknown, code: string): error is { constraint_name?: string } =>
  typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;

/** The contract's operations in one PostgreSQL transaction: every SQL statement of the graph. */
export function postgresGraphTx(tx: Database): GraphTx {
  const json = (properties: Properties) => tx.json(properties as never);
  const nodesById = async (ids: readonly string[]) =>
    new Map(
      (
        await tx<
          NodeRow[]
        >`select id, label, properties from graph_nodes where id = any(${[...ids]})`
      ).map((row) => [row.id, nodeOf(row)]),
    );

  return {
    async upsertNode({ label, id, properties }) {
      checkProperties(properties);
      try {
        const rows = await tx`
          insert into graph_nodes (id, label, properties) values (${id}, ${label}, ${json(properties)})
          on conflict (id) do update set properties = excluded.properties
           where graph_nodes.label = excluded.label
          returning id`;
        if (rows.length === 0) throw new GraphLabelMismatchError(id, label);
      } catch (error) {
        if (hasCode(error, '23505') && error.constraint_name === 'graph_nodes_label_key')
          throw new GraphKeyTakenError(label, String(properties.key));
        throw error;
      }
    },

    async getNode(label, id) {
      const [row] = await tx<NodeRow[]>`
        select id, label, properties from graph_nodes where id = ${id} and label = ${label}`;
      return row && nodeOf(row);
    },

    async findNode(id) {
      return (await nodesById([id])).get(id);
    },

    async findByKey(label, key) {
      const [row] = await tx<NodeRow[]>`
        select id, label, properties from graph_nodes where label = ${label} and key = ${key}`;
      return row && nodeOf(row);
    },

    async listByKey(label, { afterKey, limit }) {
      const rows = await tx<NodeRow[]>`
        select id, label, properties from graph_nodes
         where label = ${label} and key is not null
           and (${afterKey ?? null}::text is null or key > ${afterKey ?? null})
         order by key limit ${limit}`;
      return rows.map(nodeOf);
    },

    async putEdge({ type, from, to, properties }) {
      checkProperties(properties);
      const ends = await nodesById([from, to]);
      if (!ends.has(from)) throw new GraphNodeMissingError('from', from);
      if (!ends.has(to)) throw new GraphNodeMissingError('to', to);
      await tx`
        insert into graph_edges (type, from_id, to_id, properties)
        values (${type}, ${from}, ${to}, ${json(properties)})
        on conflict (from_id, type, to_id) do update set properties = excluded.properties`;
    },

    async setEdgeProperties(type, from, to, properties) {
      checkProperties(properties);
      const rows = await tx`
        update graph_edges set properties = properties || ${json(properties)}
         where type = ${type} and from_id = ${from} and to_id = ${to}
        returning type`;
      return rows.length > 0;
    },

    async deleteEdge(type, from, to) {
      const rows = await tx`
        delete from graph_edges where type = ${type} and from_id = ${from} and to_id = ${to}
        returning type`;
      return rows.length > 0;
    },

    async neighbours(id, { direction, types = [] }) {
      const rows = await tx<
        (EdgeRow & { node_id: string; node_label: NodeLabel; node_properties: Properties })[]
      >`
        select e.type, e.from_id, e.to_id, e.properties,
               n.id as node_id, n.label as node_label, n.properties as node_properties
          from graph_edges e
          join graph_nodes n on n.id = case when e.from_id = ${id} then e.to_id else e.from_id end
         where ((e.from_id = ${id} and ${direction !== 'in'}) or (e.to_id = ${id} and ${direction !== 'out'}))
           and (cardinality(${[...types]}::text[]) = 0 or e.type = any(${[...types]}))
         order by e.type, n.id`;
      return rows.map(
        (row): Neighbour => ({
          edge: edgeOf(row),
          node: { id: row.node_id, label: row.node_label, properties: row.node_properties },
        }),
      );
    },

    async neighbourhood(id, { hops, types = [] }) {
      checkHops(hops, 'neighbourhood');
      const typeList = [...types];
      const nodes = await tx<NodeRow[]>`
        with recursive reach(id, depth) as (
          select id, 0 from graph_nodes where id = ${id}
          union
          select step.next, r.depth + 1
            from reach r
            cross join lateral (
              select to_id as next from graph_edges
               where from_id = r.id and (cardinality(${typeList}::text[]) = 0 or type = any(${typeList}))
              union all
              select from_id from graph_edges
               where to_id = r.id and (cardinality(${typeList}::text[]) = 0 or type = any(${typeList}))
            ) step
           where r.depth < ${hops}
        )
        select n.id, n.label, n.properties
          from graph_nodes n where n.id in (select id from reach)
         order by n.id`;
      const ids = nodes.map((node) => node.id);
      const edges = await tx<EdgeRow[]>`
        select type, from_id, to_id, properties from graph_edges
         where from_id = any(${ids}) and to_id = any(${ids})
           and (cardinality(${typeList}::text[]) = 0 or type = any(${typeList}))
         order by from_id, type, to_id`;
      return { nodes: nodes.map(nodeOf), edges: edges.map(edgeOf) };
    },

    async shortestPath(from, to, { maxHops, types = [] }) {
      checkHops(maxHops, 'path');
      return shortestPathIn(tx, from, to, { maxHops, types });
    },

    async reaches(from, to, type) {
      if (from === to) return true;
      // `union` keeps each node once, so the walk ends even on a cyclic graph.
      const [row] = await tx<{ found: boolean }[]>`
        with recursive chain(id) as (
          select ${from}::text
          union
          select e.to_id from chain c join graph_edges e on e.from_id = c.id and e.type = ${type}
        )
        select exists (select 1 from chain where id = ${to}) as found`;
      return row?.found === true;
    },

    async search(text, { labels = [], limit }) {
      const words = searchWords(text);
      if (words.length === 0) return [];
      // Letters and digits only, each a prefix: nothing of tsquery's syntax comes from the caller.
      const query = words.map((word) => `${word}:*`).join(' & ');
      const rows = await tx<NodeRow[]>`
        select id, label, properties from graph_nodes
         where search @@ to_tsquery('simple', ${query})
           and (cardinality(${[...labels]}::text[]) = 0 or label = any(${[...labels]}))
         order by ts_rank(search, to_tsquery('simple', ${query})) desc, id
         limit ${limit}`;
      return rows.map(nodeOf);
    },
  };
}
