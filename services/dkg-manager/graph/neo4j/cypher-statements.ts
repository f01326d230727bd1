import {
  EDGE_TYPES,
  type EdgeType,
  MAX_NEIGHBOURHOOD_HOPS,
  MAX_PATH_HOPS,
  NODE_LABELS,
  type NodeLabel,
} from '../graph-schema.js';

/**
 * Every Cypher statement the Neo4j adapter sends, as fixed text: values always travel as
 * parameters, and labels, relationship types and hop bounds (which Cypher cannot take as
 * parameters) come only from the closed lists of graph-schema.ts. cypher-lint.test.ts lints each
 * one against that schema.
 *
 * Every node carries the label `Node` beside its own, so an id is found (and unique) whatever
 * the label.
 */

/** Labels only the adapter uses: every node's `Node`, and the migrations' bookkeeping. */
export const ADAPTER_LABELS = ['Node', 'SchemaMigration'] as const;
/** Properties only the adapter reads by name. */
export const ADAPTER_PROPERTIES = ['version', 'applied_at'] as const;

const perLabel = (statement: (label: NodeLabel) => string) =>
  Object.fromEntries(NODE_LABELS.map((label) => [label, statement(label)])) as Record<
    NodeLabel,
    string
  >;
const perType = (statement: (type: EdgeType) => string) =>
  Object.fromEntries(EDGE_TYPES.map((type) => [type, statement(type)])) as Record<EdgeType, string>;

/** A node's columns: id, own label, properties. */
const nodeColumns = (n: string) =>
  `${n}.id AS id, [l IN labels(${n}) WHERE l <> 'Node'][0] AS label, properties(${n}) AS properties`;
const edgeMap = (r: string) =>
  `{type: type(${r}), from: startNode(${r}).id, to: endNode(${r}).id, properties: properties(${r})}`;
const followed = (r: string) => `(size($types) = 0 OR type(${r}) IN $types)`;

export const UPSERT_NODE = perLabel(
  (label) => `MERGE (n:Node {id: $id})
ON CREATE SET n:${label}
WITH n
WHERE n:${label}
SET n = $properties, n.id = $id
RETURN n.id AS id`,
);

export const GET_NODE = perLabel(
  (label) => `MATCH (n:Node:${label} {id: $id})
RETURN ${nodeColumns('n')}`,
);

export const FIND_NODES = `MATCH (n:Node)
WHERE n.id IN $ids
RETURN ${nodeColumns('n')}`;

export const FIND_BY_KEY = perLabel(
  (label) => `MATCH (n:${label} {key: $key})
RETURN ${nodeColumns('n')}`,
);

export const LIST_BY_KEY = perLabel(
  (label) => `MATCH (n:${label})
WHERE n.key IS NOT NULL AND ($after_key IS NULL OR n.key > $after_key)
RETURN ${nodeColumns('n')}
ORDER BY n.key
LIMIT $limit`,
);

export const PUT_EDGE = perType(
  (type) => `MATCH (a:Node {id: $from})
MATCH (b:Node {id: $to})
MERGE (a)-[r:${type}]->(b)
SET r = $properties
RETURN count(r) AS edges`,
);

export const SET_EDGE_PROPERTIES = perType(
  (type) => `MATCH (:Node {id: $from})-[r:${type}]->(:Node {id: $to})
SET r += $properties
RETURN count(r) AS edges`,
);

export const DELETE_EDGE = perType(
  (type) => `MATCH (:Node {id: $from})-[r:${type}]->(:Node {id: $to})
DELETE r
RETURN count(*) AS deleted`,
);

const neighbours = (pattern: string) => `MATCH ${pattern}
WHERE ${followed('r')}
RETURN ${edgeMap('r')} AS edge, ${nodeColumns('m')}
ORDER BY edge.type, id`;

export const NEIGHBOURS = {
  out: neighbours('(n:Node {id: $id})-[r]->(m:Node)'),
  in: neighbours('(n:Node {id: $id})<-[r]-(m:Node)'),
  both: neighbours('(n:Node {id: $id})-[r]-(m:Node)'),
} as const;

export const NEIGHBOURHOOD = `MATCH (s:Node {id: $id})
MATCH (s)-[rels*0..${MAX_NEIGHBOURHOOD_HOPS}]-(m:Node)
WHERE size(rels) <= $hops AND all(r IN rels WHERE ${followed('r')})
WITH collect(DISTINCT m) AS nodes
UNWIND nodes AS a
OPTIONAL MATCH (a)-[r]->(b:Node)
WHERE b IN nodes AND ${followed('r')}
RETURN ${nodeColumns('a')}, collect(CASE WHEN r IS NULL THEN null ELSE ${edgeMap('r')} END) AS edges
ORDER BY id`;

export const SHORTEST_PATH = `MATCH (a:Node {id: $from})
MATCH (b:Node {id: $to})
MATCH p = shortestPath((a)-[rels*1..${MAX_PATH_HOPS}]-(b))
WHERE length(p) <= $max_hops AND all(r IN rels WHERE ${followed('r')})
RETURN [n IN nodes(p) | {id: n.id, label: [l IN labels(n) WHERE l <> 'Node'][0], properties: properties(n)}] AS nodes,
       [r IN relationships(p) | ${edgeMap('r')}] AS edges`;

export const REACHES = perType(
  (type) => `MATCH (a:Node {id: $from})
MATCH (b:Node {id: $to})
RETURN EXISTS { MATCH (a)-[:${type}*]->(b) } AS found`,
);

/** The full-text index over name and description (created by migration 1). */
export const TEXT_INDEX = 'graph_text';

export const SEARCH = `CALL db.index.fulltext.queryNodes('${TEXT_INDEX}', $query) YIELD node, score
WHERE size($labels) = 0 OR any(l IN labels(node) WHERE l IN $labels)
RETURN ${nodeColumns('node')}
ORDER BY score DESC, id
LIMIT $limit`;

export const APPLIED_MIGRATIONS = `MATCH (m:SchemaMigration)
RETURN m.version AS version`;

export const RECORD_MIGRATION = `MERGE (m:SchemaMigration {version: $version})
SET m.name = $name, m.applied_at = datetime()`;

/** Versioned schema changes, applied in order once each (see neo4j-migrations.ts). */
export const MIGRATIONS: readonly {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}[] = [
  {
    version: 1,
    name: 'node ids, keys per label, full-text index',
    statements: [
      'CREATE CONSTRAINT node_id IF NOT EXISTS FOR (n:Node) REQUIRE n.id IS UNIQUE',
      ...NODE_LABELS.map(
        (label) =>
          `CREATE CONSTRAINT ${label.toLowerCase()}_key IF NOT EXISTS FOR (n:${label}) REQUIRE n.key IS UNIQUE`,
      ),
      `CREATE FULLTEXT INDEX ${TEXT_INDEX} IF NOT EXISTS FOR (n:${NODE_LABELS.join('|')}) ON EACH [n.name, n.description]`,
    ],
  },
];

/** Every statement above, named, for the lint test. */
export function allStatements(): { readonly name: string; readonly text: string }[] {
  const named = (prefix: string, statements: Readonly<Record<string, string>>) =>
    Object.entries(statements).map(([key, text]) => ({ name: `${prefix}.${key}`, text }));
  return [
    ...named('UPSERT_NODE', UPSERT_NODE),
    ...named('GET_NODE', GET_NODE),
    { name: 'FIND_NODES', text: FIND_NODES },
    ...named('FIND_BY_KEY', FIND_BY_KEY),
    ...named('LIST_BY_KEY', LIST_BY_KEY),
    ...named('PUT_EDGE', PUT_EDGE),
    ...named('SET_EDGE_PROPERTIES', SET_EDGE_PROPERTIES),
    ...named('DELETE_EDGE', DELETE_EDGE),
    ...named('NEIGHBOURS', NEIGHBOURS),
    { name: 'NEIGHBOURHOOD', text: NEIGHBOURHOOD },
    { name: 'SHORTEST_PATH', text: SHORTEST_PATH },
    ...named('REACHES', REACHES),
    { name: 'SEARCH', text: SEARCH },
    { name: 'APPLIED_MIGRATIONS', text: APPLIED_MIGRATIONS },
    { name: 'RECORD_MIGRATION', text: RECORD_MIGRATION },
    ...MIGRATIONS.flatMap((migration) =>
      migration.statements.map((text, index) => ({
        name: `MIGRATIONS.${migration.version}.${index}`,
        text,
      })),
    ),
  ];
}
