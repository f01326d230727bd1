import type { GraphEdge, GraphNode, PropertyValue } from '../graph/graph-store.js';
import { DKG_CONTEXT, NODE_TYPES, nodeIri, RELATION_TERMS, TERM_SETS } from './json-ld-context.js';

/** A JSON-LD node object of the export, in the terms of `DKG_CONTEXT`. */
export type JsonLdNode = {
  readonly '@id': string;
  readonly '@type': string | readonly string[];
} & {
  readonly [term: string]: unknown;
};

/** A JSON-LD document: the context and the graph's nodes. */
export interface JsonLdDocument {
  readonly '@context': typeof DKG_CONTEXT;
  readonly '@graph': readonly JsonLdNode[];
}

/** Empty strings and lists are left out: they would vanish on expansion anyway. */
const present = (value: PropertyValue | undefined) =>
  value !== undefined && value !== '' && !(Array.isArray(value) && value.length === 0);

/** A node's properties in the context's terms (`key`, an internal index, is not exported). */
function propertiesOf({ label, properties: p }: GraphNode): Record<string, unknown> {
  const terms: Record<string, unknown> = {
    name: p.name,
    description: p.description,
    keywords: p.tags,
  };
  if (label === 'Version') {
    Object.assign(terms, {
      version: p.number,
      createdBy: p.created_by,
      dateCreated: p.created_at,
      spec: typeof p.spec === 'string' ? JSON.parse(p.spec) : undefined,
    });
  } else if (label !== 'TaskType') {
    Object.assign(terms, {
      owner: p.owner,
      version: p.current_version,
      dateCreated: p.created_at,
      dateModified: p.updated_at,
    });
  }
  if (label === 'Skill' || label === 'TaskType') terms.inDefinedTermSet = TERM_SETS[label].id;
  return Object.fromEntries(
    Object.entries(terms).filter(([, value]) => present(value as PropertyValue | undefined)),
  );
}

/** The relations from a node as properties: each term a list of references. */
function relationsOf(edges: readonly GraphEdge[]): Record<string, unknown> {
  const terms: Record<string, unknown[]> = {};
  const add = (term: string, value: unknown) => {
    terms[term] ??= [];
    terms[term].push(value);
  };
  for (const { type, to, properties } of edges) {
    add(RELATION_TERMS[type], nodeIri(to));
    if (type === 'HAS_SKILL')
      add('skillLevel', {
        '@type': 'SkillLevel',
        skill: nodeIri(to),
        ...(typeof properties.level === 'number' ? { level: properties.level } : {}),
      });
  }
  return terms;
}

/** The DefinedTermSet nodes of the kinds in `labels` (skills, task types). */
export function termSetNodes(labels: Iterable<string>): JsonLdNode[] {
  const kinds = new Set(labels);
  return Object.entries(TERM_SETS)
    .filter(([label]) => kinds.has(label))
    .map(([, set]) => ({ '@id': set.id, '@type': 'DefinedTermSet', name: set.name }));
}

/**
 * The JSON-LD document of `nodes` and the relations `edges` from them (an edge whose `from` is
 * not among the nodes is left out; its `to` may be anywhere: it is a reference by IRI). `extra`
 * nodes (the term sets) come first.
 */
export function jsonLdDocument(
  nodes: readonly GraphNode[],
  edges: readonly GraphEdge[],
  extra: readonly JsonLdNode[] = [],
): JsonLdDocument {
  const edgesFrom = new Map<string, GraphEdge[]>();
  for (const edge of edges) {
    const from = edgesFrom.get(edge.from);
    if (from) from.push(edge);
    else edgesFrom.set(edge.from, [edge]);
  }
  return {
    '@context': DKG_CONTEXT,
    '@graph': [
      ...extra,
      ...nodes.map((node) => ({
        '@id': nodeIri(node.id),
        '@type': NODE_TYPES[node.label],
        ...propertiesOf(node),
        ...relationsOf(edgesFrom.get(node.id) ?? []),
      })),
    ],
  };
}
