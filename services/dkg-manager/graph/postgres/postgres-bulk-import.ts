import type { Database } from '../../../platform/db.js';
import { checkProperties, GraphInputError } from '../graph-input.js';
import type { NodeLabel } from '../graph-schema.js';
import {
  type GraphEdge,
  GraphKeyTakenError,
  GraphLabelMismatchError,
  type GraphNode,
  GraphNodeMissingError,
} from '../graph-store.js';

/**
 * What a bulk import writes. Iterables, so a generator (an export being read, a generated graph)
 * streams through in batches without the whole graph in memory.
 */
export interface GraphImport {
  readonly nodes?: Iterable<GraphNode>;
  readonly edges?: Iterable<GraphEdge>;
}

/** How many nodes and edges an import wrote. */
export interface ImportCounts {
  readonly nodes: number;
  readonly edges: number;
}

/**
 * Rows per statement. Each batch goes as one JSON parameter: larger batches save round trips
 * and planning until the message itself dominates; 5,000 rows of a registry entry's size are
 * about 2 MB.
 */
export const IMPORT_BATCH_ROWS = 5000;

/** The key in a unique violation's detail: `Key (label, key)=(Skill, web search) already exists.` */
const KEY_DETAIL = /^Key \(label, key\)=\((\w+), (.*)\) already exists\.$/s;
/** The id in a foreign-key violation's detail: `Key (from_id)=(x) is not present in table ...`. */
const MISSING_DETAIL = /^Key \((?:from_id|to_id)\)=\((.*)\) is not present/s;

interface PgError {
  readonly code?: string;
  readonly constraint_name?: string;
  readonly detail?: string;
}
const pgError = (error: unknown): PgError =>
  typeof error === 'object' && error !== null ? (error as PgError) : {};

/** Yields the items in arrays of at most `size`, the last one shorter. */
function* batches<T>(items: Iterable<T>, size: number): Generator<T[]> {
  let batch: T[] = [];
  for (const item of items) {
    batch.push(item);
    if (batch.length === size) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}

/**
 * The last of each id (nodes) or of each (type, from, to) (edges) in the batch: one statement
 * may not change a row twice, and the last wins, as when the upserts run one after another.
 */
function lastOfEach<T>(items: readonly T[], keyOf: (item: T) => string): T[] {
  const byKey = new Map<string, T>();
  for (const item of items) {
    const key = keyOf(item);
    byKey.delete(key);
    byKey.set(key, item);
  }
  return byKey.size === items.length ? [...items] : [...byKey.values()];
}

/**
 * Writes many nodes, then many edges, with the semantics of `upsertNode` and `putEdge` called
 * one after another (properties replaced, the last of duplicates wins, the same errors), in
 * statements of `batchRows` rows instead of one statement each: the bulk path for restoring an
 * export or loading a generated graph. Runs in the transaction `tx` the caller opened, so a
 * failure leaves nothing written. Properties are checked before anything is sent.
 *
 * Each batch is one JSON array that PostgreSQL unpacks with `jsonb_to_recordset`: a single
 * parameter whatever the batch's size, no per-row round trips, and the rows go through the same
 * constraints and indexes as single writes (the edges' foreign keys name a missing end).
 */
export async function importGraph(
  tx: Database,
  { nodes = [], edges = [] }: GraphImport,
  batchRows = IMPORT_BATCH_ROWS,
): Promise<ImportCounts> {
  if (!Number.isInteger(batchRows) || batchRows < 1)
    throw new GraphInputError('batchRows must be a whole number ≥ 1');
  let nodeCount = 0;
  for (const batch of batches(nodes, batchRows)) {
    await importNodes(
      tx,
      lastOfEach(batch, (node) => node.id),
    );
    nodeCount += batch.length;
  }
  let edgeCount = 0;
  for (const batch of batches(edges, batchRows)) {
    await importEdges(
      tx,
      lastOfEach(batch, (edge) => `${edge.type}\n${edge.from}\n${edge.to}`),
    );
    edgeCount += batch.length;
  }
  return { nodes: nodeCount, edges: edgeCount };
}

async function importNodes(tx: Database, nodes: readonly GraphNode[]): Promise<void> {
  for (const node of nodes) checkProperties(node.properties);
  let written: number;
  try {
    const [row] = await tx<{ written: number }[]>`
      with written as (
        insert into graph_nodes (id, label, properties)
        select id, label, properties
          from jsonb_to_recordset(${tx.json(nodes as never)}) as n(id text, label text, properties jsonb)
        on conflict (id) do update set properties = excluded.properties
         where graph_nodes.label = excluded.label
        returning 1
      )
      select count(*)::int as written from written`;
    written = row?.written ?? 0;
  } catch (error) {
    const { code, constraint_name: constraint, detail = '' } = pgError(error);
    const taken = KEY_DETAIL.exec(detail);
    if (code === '23505' && constraint === 'graph_nodes_label_key' && taken)
      throw new GraphKeyTakenError(taken[1] as NodeLabel, taken[2] as string);
    throw error;
  }
  if (written < nodes.length) {
    // An id of the batch belongs to a node of another label: name the first.
    const byId = new Map(nodes.map((node) => [node.id, node.label]));
    const existing = await tx<{ id: string; label: NodeLabel }[]>`
      select id, label from graph_nodes where id = any(${[...byId.keys()]})`;
    const clash = existing.find((row) => byId.get(row.id) !== row.label);
    if (clash) throw new GraphLabelMismatchError(clash.id, byId.get(clash.id) as NodeLabel);
  }
}

async function importEdges(tx: Database, edges: readonly GraphEdge[]): Promise<void> {
  for (const edge of edges) checkProperties(edge.properties);
  try {
    await tx`
      insert into graph_edges (type, from_id, to_id, properties)
      select type, "from", "to", properties
        from jsonb_to_recordset(${tx.json(edges as never)}) as e(type text, "from" text, "to" text, properties jsonb)
      on conflict (from_id, type, to_id) do update set properties = excluded.properties`;
  } catch (error) {
    const { code, constraint_name: constraint, detail = '' } = pgError(error);
    const missing = MISSING_DETAIL.exec(detail);
    if (code === '23503' && missing) {
      const end = constraint === 'graph_edges_to_id_fkey' ? 'to' : 'from';
      throw new GraphNodeMissingError(end, missing[1] as string);
    }
    throw error;
  }
}
