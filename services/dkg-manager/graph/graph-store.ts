import type { EdgeType, NodeLabel } from './graph-schema.js';

/**
 * A property value both backends store exactly: Neo4j holds primitives and homogeneous lists,
 * no maps and no null (setting null removes a property), so neither does this contract.
 */
export type PropertyValue = string | number | boolean | readonly string[] | readonly number[];
export type Properties = Readonly<Record<string, PropertyValue>>;

/** A node: its label, its id (unique across the whole graph) and its properties. */
export interface GraphNode {
  readonly label: NodeLabel;
  readonly id: string;
  readonly properties: Properties;
}

/** A directed edge; at most one of each type between two nodes. */
export interface GraphEdge {
  readonly type: EdgeType;
  readonly from: string;
  readonly to: string;
  readonly properties: Properties;
}

/** Nodes and the edges between them. */
export interface Subgraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** A path: `nodes[i]` and `nodes[i + 1]` are joined by `edges[i]` (in either direction). */
export interface GraphPath {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}

/** A neighbour of a node, with the edge that joins them. */
export interface Neighbour {
  readonly edge: GraphEdge;
  readonly node: GraphNode;
}

export type Direction = 'out' | 'in' | 'both';

/** Which edges a traversal follows: all types when `types` is empty or absent. */
export interface TraversalOptions {
  readonly types?: readonly EdgeType[];
}

/** The operations of one transaction. Nothing of SQL or Cypher crosses this interface. */
export interface GraphTx {
  /**
   * Creates the node or replaces its properties (all of them). Throws `GraphKeyTakenError` when
   * another node of the label has the same `key`, `GraphLabelMismatchError` when the id belongs
   * to a node of another label.
   */
  upsertNode(node: GraphNode): Promise<void>;
  /** The node with this id and label, or undefined. */
  getNode(label: NodeLabel, id: string): Promise<GraphNode | undefined>;
  /** The node with this id, whatever its label, or undefined. */
  findNode(id: string): Promise<GraphNode | undefined>;
  /** The node of the label whose `key` property is `key`, or undefined. */
  findByKey(label: NodeLabel, key: string): Promise<GraphNode | undefined>;
  /** Nodes of the label in `key` order (nodes without a key are not listed), after `afterKey`. */
  listByKey(
    label: NodeLabel,
    options: { readonly afterKey?: string; readonly limit: number },
  ): Promise<GraphNode[]>;
  /**
   * Creates the edge or replaces its properties. Throws `GraphNodeMissingError` naming the end
   * that does not exist.
   */
  putEdge(edge: GraphEdge): Promise<void>;
  /**
   * Sets `properties` on an existing edge, keeping its other properties; whether there was one
   * (none is created). For values kept beside a relation's own (evidence on HAS_SKILL): a copy
   * that must not undo a concurrent change of the relation's level.
   */
  setEdgeProperties(
    type: EdgeType,
    from: string,
    to: string,
    properties: Properties,
  ): Promise<boolean>;
  /** Deletes the edge; whether there was one. */
  deleteEdge(type: EdgeType, from: string, to: string): Promise<boolean>;
  /** Edges at a node (out: from it, in: to it) with the node at their other end, by edge type then id. */
  neighbours(
    id: string,
    options: TraversalOptions & { readonly direction: Direction },
  ): Promise<Neighbour[]>;
  /**
   * The nodes within `hops` edges of `id` (either direction, at most MAX_NEIGHBOURHOOD_HOPS),
   * itself included, and every edge among them of the followed types. Empty for an unknown id.
   */
  neighbourhood(
    id: string,
    options: TraversalOptions & { readonly hops: number },
  ): Promise<Subgraph>;
  /**
   * A shortest path from one node to another over edges in either direction, at most `maxHops`
   * long (at most MAX_PATH_HOPS); undefined when there is none. Among equally short paths, any.
   */
  shortestPath(
    from: string,
    to: string,
    options: TraversalOptions & { readonly maxHops: number },
  ): Promise<GraphPath | undefined>;
  /**
   * Whether `to` can be reached from `from` by following edges of `type` forwards (a node
   * reaches itself): the check that keeps lineage and hierarchy free of cycles.
   */
  reaches(from: string, to: string, type: EdgeType): Promise<boolean>;
  /**
   * Nodes whose `name` or `description` holds every word of `text` (a word matches words it
   * begins), best match first; only letters and digits count, so query syntax is never
   * interpreted.
   */
  search(
    text: string,
    options: { readonly labels?: readonly NodeLabel[]; readonly limit: number },
  ): Promise<GraphNode[]>;
}

/** A graph database behind the contract: transactions, schema migrations, readiness. */
export interface GraphStore {
  /** Which adapter this is, for logs and docs. */
  readonly backend: 'postgres' | 'neo4j';
  /** Runs `work` in a read transaction. */
  read<T>(work: (tx: GraphTx) => Promise<T>): Promise<T>;
  /**
   * Runs `work` in a write transaction, again from the start after a transient failure (a
   * deadlock, a lost leader): `work` must do nothing but graph operations.
   */
  write<T>(work: (tx: GraphTx) => Promise<T>): Promise<T>;
  /** Creates the schema (tables or constraints and indexes) up to the current version. */
  migrate(): Promise<void>;
}

/** Another node of the label has the same `key`: a duplicate name within a registry. */
export class GraphKeyTakenError extends Error {
  constructor(
    readonly label: NodeLabel,
    readonly key: string,
  ) {
    super(`a ${label} with key '${key}' exists already`);
    this.name = 'GraphKeyTakenError';
  }
}

/** The id is taken by a node of another label. */
export class GraphLabelMismatchError extends Error {
  constructor(
    readonly id: string,
    readonly label: NodeLabel,
  ) {
    super(`node ${id} exists with a label other than ${label}`);
    this.name = 'GraphLabelMismatchError';
  }
}

/** An edge's end does not exist. */
export class GraphNodeMissingError extends Error {
  constructor(
    readonly end: 'from' | 'to',
    readonly id: string,
  ) {
    super(`the edge's ${end} node ${id} does not exist`);
    this.name = 'GraphNodeMissingError';
  }
}
