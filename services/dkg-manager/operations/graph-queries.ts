import { NotFoundError } from '../../platform/errors.js';
import { REGISTRIES, type RegistryName } from '../domain/registries.js';
import { RELATION_TYPES } from '../domain/relations.js';
import type { NodeLabel } from '../graph/graph-schema.js';
import type { GraphEdge, GraphNode, GraphTx } from '../graph/graph-store.js';
import type { DkgContext } from './dkg-context.js';
import { unknownReference } from './dkg-refused.js';

/** A node as the graph queries show it. */
export interface NodeView {
  readonly id: string;
  readonly label: NodeLabel;
  readonly name: string | null;
  readonly description: string | null;
}
/** An edge as the graph queries show it. */
export interface EdgeView {
  readonly type: string;
  readonly from_id: string;
  readonly to_id: string;
  readonly level: number | null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);
export const nodeView = ({ id, label, properties }: GraphNode): NodeView => ({
  id,
  label,
  name: text(properties.name),
  description: text(properties.description),
});
export const edgeView = ({ type, from, to, properties }: GraphEdge): EdgeView => ({
  type,
  from_id: from,
  to_id: to,
  level: typeof properties.level === 'number' ? properties.level : null,
});

/** Traversals follow the relations, not the registries' own HAS_VERSION edges. */
const RELATIONS_ONLY = { types: RELATION_TYPES };

const SEARCHED: readonly NodeLabel[] = [...Object.values(REGISTRIES), 'TaskType'];

/** Entries (and task types) whose name or description holds every word of `query`. */
export async function searchEntries(
  { graph }: DkgContext,
  query: string,
  { registry, limit }: { readonly registry?: RegistryName; readonly limit: number },
): Promise<NodeView[]> {
  const labels = registry === undefined ? SEARCHED : [REGISTRIES[registry]];
  const found = await graph.read((tx) => tx.search(query, { labels, limit }));
  return found.map(nodeView);
}

const existing = async (tx: GraphTx, field: string, id: string) => {
  const node = await tx.findNode(id);
  if (!node) throw unknownReference(field, id);
  return node;
};

/** Everything within `hops` relations of an entry, and the relations among it. */
export async function neighbourhoodOf(
  { graph }: DkgContext,
  id: string,
  hops: number,
): Promise<{ nodes: NodeView[]; edges: EdgeView[] }> {
  return graph.read(async (tx) => {
    await existing(tx, 'id', id);
    const { nodes, edges } = await tx.neighbourhood(id, { hops, ...RELATIONS_ONLY });
    return { nodes: nodes.map(nodeView), edges: edges.map(edgeView) };
  });
}

/**
 * How two entries are connected: a shortest chain of relations (either direction), as the
 * explanation of why they are related. 404 when none is within `maxHops`.
 */
export async function pathBetween(
  { graph }: DkgContext,
  from: string,
  to: string,
  maxHops: number,
): Promise<{ nodes: NodeView[]; edges: EdgeView[] }> {
  return graph.read(async (tx) => {
    await existing(tx, 'from', from);
    await existing(tx, 'to', to);
    const path = await tx.shortestPath(from, to, { maxHops, ...RELATIONS_ONLY });
    if (!path)
      throw new NotFoundError(`no chain of relations from ${from} to ${to} within ${maxHops} hops`);
    return { nodes: path.nodes.map(nodeView), edges: path.edges.map(edgeView) };
  });
}
