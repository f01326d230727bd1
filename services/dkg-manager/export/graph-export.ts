import { ValidationError } from '../../platform/errors.js';
import { RELATION_TYPES } from '../domain/relations.js';
import { NODE_LABELS } from '../graph/graph-schema.js';
import type { GraphEdge, GraphNode, GraphTx } from '../graph/graph-store.js';
import type { DkgContext } from '../operations/dkg-context.js';
import { unknownReference } from '../operations/dkg-refused.js';
import { type JsonLdDocument, jsonLdDocument, termSetNodes } from './json-ld-document.js';

/** Nodes per page of the whole-graph export when the caller does not say. */
export const DEFAULT_EXPORT_PAGE = 200;
/** The most nodes one page of the export holds; a larger `limit` is refused (422). */
export const MAX_EXPORT_PAGE = 1000;

/** Where a page starts: after the node of `NODE_LABELS[label]` whose key is `key`. */
interface ExportCursor {
  readonly label: number;
  readonly key: string;
}

const encodeCursor = ({ label, key }: ExportCursor) =>
  Buffer.from(JSON.stringify([label, key])).toString('base64url');

function decodeCursor(cursor: string): ExportCursor {
  try {
    const [label, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as unknown[];
    if (Number.isInteger(label) && NODE_LABELS[label as number] && typeof key === 'string')
      return { label: label as number, key };
  } catch {
    // Refused below, as any cursor this export did not give.
  }
  throw new ValidationError([{ field: 'cursor', reason: 'not a cursor this export gave' }]);
}

/** Every edge from each of `nodes` (relations and versions alike), in node order. */
async function edgesFrom(tx: GraphTx, nodes: readonly GraphNode[]): Promise<GraphEdge[]> {
  const edges: GraphEdge[] = [];
  for (const node of nodes) {
    const out = await tx.neighbours(node.id, { direction: 'out' });
    edges.push(...out.map(({ edge }) => edge));
  }
  return edges;
}

/**
 * One page of the whole graph as JSON-LD: up to `limit` nodes (entries by registry, task types,
 * then versions, each kind in key order) with every relation from them, read in one transaction.
 * The first page also holds the DefinedTermSets. `next` is the cursor of the following page, or
 * null after the last.
 */
export async function exportPage(
  { graph }: DkgContext,
  { limit, cursor }: { readonly limit: number; readonly cursor?: string },
): Promise<{ document: JsonLdDocument; next: string | null }> {
  const start = cursor === undefined ? undefined : decodeCursor(cursor);
  return graph.read(async (tx) => {
    const page: { label: number; node: GraphNode }[] = [];
    for (let label = start?.label ?? 0; label < NODE_LABELS.length; label++) {
      if (page.length > limit) break;
      const found = await tx.listByKey(NODE_LABELS[label] as (typeof NODE_LABELS)[number], {
        limit: limit + 1 - page.length,
        ...(start && label === start.label ? { afterKey: start.key } : {}),
      });
      page.push(...found.map((node) => ({ label, node })));
    }
    const nodes = page.slice(0, limit).map(({ node }) => node);
    const last = page[limit - 1];
    const next =
      page.length > limit && last
        ? encodeCursor({ label: last.label, key: String(last.node.properties.key) })
        : null;
    const extra = start === undefined ? termSetNodes(NODE_LABELS) : [];
    return { document: jsonLdDocument(nodes, await edgesFrom(tx, nodes), extra), next };
  });
}

/**
 * What lies within `hops` relations of an entry, as JSON-LD: the nodes, the relations among
 * them, and the DefinedTermSets of the skills and task types among them. 422 for an unknown id.
 */
export async function neighbourhoodDocument(
  { graph }: DkgContext,
  id: string,
  hops: number,
): Promise<JsonLdDocument> {
  return graph.read(async (tx) => {
    if (!(await tx.findNode(id))) throw unknownReference('id', id);
    const { nodes, edges } = await tx.neighbourhood(id, { hops, types: RELATION_TYPES });
    return jsonLdDocument(nodes, edges, termSetNodes(nodes.map((node) => node.label)));
  });
}
