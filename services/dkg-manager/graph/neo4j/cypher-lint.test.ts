import { type DbSchema, lintCypherQuery } from '@neo4j-cypher/language-support';
import { describe, expect, it } from 'vitest';
import { EDGE_TYPES, INDEXED_PROPERTIES, NODE_LABELS } from '../graph-schema.js';
import { ADAPTER_LABELS, ADAPTER_PROPERTIES, allStatements } from './cypher-statements.js';

/** The parameters the adapter passes (neo4j-graph-tx.ts); a statement using another fails. */
const PARAMETERS = [
  'id',
  'ids',
  'key',
  'after_key',
  'limit',
  'properties',
  'from',
  'to',
  'types',
  'hops',
  'max_hops',
  'query',
  'labels',
  'version',
  'name',
];

const schema: DbSchema = {
  labels: [...NODE_LABELS, ...ADAPTER_LABELS],
  relationshipTypes: [...EDGE_TYPES],
  propertyKeys: [...INDEXED_PROPERTIES, ...ADAPTER_PROPERTIES],
  parameters: Object.fromEntries(PARAMETERS.map((name) => [name, null])),
};

const problems = (text: string, against = schema) =>
  lintCypherQuery(text, against).diagnostics.map((d) => d.message);

describe('Cypher statements of the Neo4j adapter', () => {
  const statements = allStatements();

  it('are all enumerated: one per label, per type and per query', () => {
    expect(statements.length).toBeGreaterThan(NODE_LABELS.length * 4 + EDGE_TYPES.length * 3);
    expect(new Set(statements.map((s) => s.name)).size).toBe(statements.length);
  });

  it.each(statements.map((s) => [s.name, s.text]))(
    '%s lints clean against the graph schema',
    (_name, text) => {
      expect(problems(text)).toEqual([]);
    },
  );

  it('catches a misspelt label, relationship type, property or parameter', () => {
    const [label, type, property, parameter] = [
      'MATCH (n:Skil {id: $id}) RETURN n.id',
      'MATCH (a:Node)-[r:HAS_SKIL]->(b:Node) RETURN a.id',
      'MATCH (n:Node {id: $id}) RETURN n.nmae',
      'MATCH (n:Node {id: $idd}) RETURN n.id',
    ].map((text) => problems(text));
    expect(label?.join()).toContain('Skil');
    expect(type?.join()).toContain('HAS_SKIL');
    expect(property?.join()).toContain('nmae');
    expect(parameter?.join()).toContain('$idd');
  });

  it('catches a syntax error', () => {
    expect(problems('MATCH (n:Node {id: $id} RETURN n.id')).not.toEqual([]);
  });
});
