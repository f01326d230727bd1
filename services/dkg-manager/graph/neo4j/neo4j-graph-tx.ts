import neo4j, { type ManagedTransaction, type RecordShape } from 'neo4j-driver';
import { checkHops, checkProperties, searchWords } from '../graph-input.js';
import type { NodeLabel } from '../graph-schema.js';
import {
  type GraphEdge,
  GraphKeyTakenError,
  GraphLabelMismatchError,
  type GraphNode,
  GraphNodeMissingError,
  type GraphTx,
  type Properties,
  type PropertyValue,
} from '../graph-store.js';
import {
  DELETE_EDGE,
  FIND_BY_KEY,
  FIND_NODES,
  GET_NODE,
  LIST_BY_KEY,
  NEIGHBOURHOOD,
  NEIGHBOURS,
  PUT_EDGE,
  REACHES,
  SEARCH,
  SET_EDGE_PROPERTIES,
  SHORTEST_PATH,
  UPSERT_NODE,
} from './cypher-statements.js';

/** A value as the contract has it: an `Integer` (a driver made without disableLosslessIntegers) exact or refused. */
function plain(value: unknown): unknown {
  if (neo4j.isInt(value)) {
    if (!value.inSafeRange()) throw new RangeError(`integer ${value.toString()} is beyond 2^53`);
    return value.toNumber();
  }
  if (Array.isArray(value)) return value.map(plain);
  return value;
}

/** Properties without the id Neo4j keeps among them. */
function propertiesOf(raw: unknown): Properties {
  const { id: _id, ...rest } = (raw ?? {}) as Record<string, unknown>;
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [key, plain(value) as PropertyValue]),
  );
}

const nodeOf = (row: RecordShape): GraphNode => ({
  id: String(row.id),
  label: row.label as NodeLabel,
  properties: propertiesOf(row.properties),
});

const edgeOf = (raw: unknown): GraphEdge => {
  const { type, from, to, properties } = raw as Record<string, unknown>;
  return {
    type: type as GraphEdge['type'],
    from: String(from),
    to: String(to),
    properties: propertiesOf(properties),
  };
};

const isConstraintFailure = (error: unknown) =>
  typeof error === 'object' &&
  error !== null &&
  (error as { code?: unknown }).code === 'Neo.ClientError.Schema.ConstraintValidationFailed';

/** The contract's operations in one Neo4j managed transaction: parameterised statements only. */
export function neo4jGraphTx(tx: ManagedTransaction): GraphTx {
  const rows = async (statement: string, parameters: Record<string, unknown>) =>
    (await tx.run(statement, parameters)).records.map((record) => record.toObject());
  const nodesById = async (ids: readonly string[]) =>
    new Map((await rows(FIND_NODES, { ids })).map((row) => [String(row.id), nodeOf(row)]));

  return {
    async upsertNode({ label, id, properties }) {
      checkProperties(properties);
      try {
        const found = await rows(UPSERT_NODE[label], { id, properties });
        if (found.length === 0) throw new GraphLabelMismatchError(id, label);
      } catch (error) {
        if (isConstraintFailure(error)) throw new GraphKeyTakenError(label, String(properties.key));
        throw error;
      }
    },
    async getNode(label, id) {
      const [row] = await rows(GET_NODE[label], { id });
      return row && nodeOf(row);
    },
    async findNode(id) {
      return (await nodesById([id])).get(id);
    },
    async findByKey(label, key) {
      const [row] = await rows(FIND_BY_KEY[label], { key });
      return row && nodeOf(row);
    },
    async listByKey(label, { afterKey, limit }) {
      return (
        await rows(LIST_BY_KEY[label], { after_key: afterKey ?? null, limit: neo4j.int(limit) })
      ).map(nodeOf);
    },
    async putEdge({ type, from, to, properties }) {
      checkProperties(properties);
      const ends = await nodesById([from, to]);
      if (!ends.has(from)) throw new GraphNodeMissingError('from', from);
      if (!ends.has(to)) throw new GraphNodeMissingError('to', to);
      await rows(PUT_EDGE[type], { from, to, properties });
    },
    async setEdgeProperties(type, from, to, properties) {
      checkProperties(properties);
      const [row] = await rows(SET_EDGE_PROPERTIES[type], { from, to, properties });
      return Number(plain(row?.edges)) > 0;
    },
    async deleteEdge(type, from, to) {
      const [row] = await rows(DELETE_EDGE[type], { from, to });
      return Number(plain(row?.deleted)) > 0;
    },
    async neighbours(id, { direction, types = [] }) {
      return (await rows(NEIGHBOURS[direction], { id, types })).map((row) => ({
        edge: edgeOf(row.edge),
        node: nodeOf(row),
      }));
    },
    async neighbourhood(id, { hops, types = [] }) {
      checkHops(hops, 'neighbourhood');
      const found = await rows(NEIGHBOURHOOD, { id, hops: neo4j.int(hops), types });
      return {
        nodes: found.map(nodeOf),
        edges: found.flatMap((row) => (row.edges as unknown[]).map(edgeOf)),
      };
    },
    async shortestPath(from, to, { maxHops, types = [] }) {
      checkHops(maxHops, 'path');
      if (from === to) {
        const node = (await nodesById([from])).get(from);
        return node && { nodes: [node], edges: [] };
      }
      const [row] = await rows(SHORTEST_PATH, { from, to, max_hops: neo4j.int(maxHops), types });
      if (!row) return undefined;
      return {
        nodes: (row.nodes as RecordShape[]).map(nodeOf),
        edges: (row.edges as unknown[]).map(edgeOf),
      };
    },
    async reaches(from, to, type) {
      if (from === to) return true;
      const [row] = await rows(REACHES[type], { from, to });
      return row?.found === true;
    },
    async search(text, { labels = [], limit }) {
      const words = searchWords(text);
      if (words.length === 0) return [];
      // Letters and digits only, each required and a prefix: no Lucene syntax from the caller.
      const query = words.map((word) => `+${word}*`).join(' ');
      return (await rows(SEARCH, { query, labels, limit: neo4j.int(limit) })).map(nodeOf);
    },
  };
}
