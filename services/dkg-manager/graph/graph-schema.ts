/**
 * The knowledge graph's schema: every label, relationship type and property name a statement
 * may use. A closed set, so each adapter's statements are fixed text (labels and types cannot be
 * parameters in Cypher) and the Cypher lint test checks them against exactly this list.
 */

/** Node labels: the four registries, the task types strategies apply to, and entry versions. */
export const NODE_LABELS = ['Skill', 'Tool', 'Strategy', 'Agent', 'TaskType', 'Version'] as const;
export type NodeLabel = (typeof NODE_LABELS)[number];

/** Relationship types, each between the labels the registries' rules allow (domain/relations.ts). */
export const EDGE_TYPES = [
  'HAS_SKILL',
  'REQUIRES',
  'USES',
  'APPLIES_TO',
  'DERIVED_FROM',
  'MANAGES',
  'HAS_VERSION',
] as const;
export type EdgeType = (typeof EDGE_TYPES)[number];

/**
 * Properties the adapters read or index by name: `id` (unique across the graph), `key` (unique
 * per label when present: a registry's normalised name, a version's `entry@number`), and `name`
 * and `description` (full-text search). Other properties pass through as data.
 */
export const INDEXED_PROPERTIES = ['id', 'key', 'name', 'description'] as const;

/** Neighbourhoods reach at most this many hops. */
export const MAX_NEIGHBOURHOOD_HOPS = 3;
/** Shortest paths are searched up to this many hops. */
export const MAX_PATH_HOPS = 6;
/** Directed reachability (cycle checks) follows chains up to this long. */
export const MAX_CHAIN_LENGTH = 100;
