import type { NodeObject } from 'jsonld';
import { describe, expect, it } from 'vitest';
import type { GraphEdge, GraphNode } from '../graph/graph-store.js';
import {
  expandOffline,
  fullIri,
  lostInExpansion,
  referencesOf,
} from '../testing/json-ld-expansion.js';
import { AIA_VOCABULARY, nodeIri, SCHEMA_ORG } from './json-ld-context.js';
import { type JsonLdNode, jsonLdDocument, termSetNodes } from './json-ld-document.js';

const entry = (label: GraphNode['label'], id: string, name: string, extra = {}): GraphNode => ({
  label,
  id,
  properties: {
    key: name.toLowerCase(),
    name,
    description: `${name}, described`,
    tags: ['one', 'two'],
    owner: 'user:ada',
    current_version: 2,
    created_at: '2026-01-02T03:04:05.000Z',
    updated_at: '2026-01-03T03:04:05.000Z',
    ...extra,
  },
});
const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const nodes: GraphNode[] = [
  entry('Skill', uuid(1), 'Market research'),
  entry('Tool', uuid(2), 'Web search', { tags: [], description: '' }),
  entry('Strategy', uuid(3), 'Search then summarise'),
  entry('Agent', uuid(4), 'Analyst'),
  entry('Agent', uuid(5), 'Lead'),
  { label: 'TaskType', id: uuid(6), properties: { key: 'market sizing', name: 'Market sizing' } },
  ...[1, 2].map(
    (number): GraphNode => ({
      label: 'Version',
      id: uuid(10 + number),
      properties: {
        key: `${uuid(3)}@${number}`,
        entry_id: uuid(3),
        number,
        name: 'Search then summarise',
        description: '',
        tags: [],
        spec: JSON.stringify({ steps: ['search', 'summarise'], retries: number }),
        created_by: 'user:ada',
        created_at: '2026-01-02T03:04:05.000Z',
      },
    }),
  ),
];
const edge = (type: GraphEdge['type'], from: number, to: number, properties = {}): GraphEdge => ({
  type,
  from: uuid(from),
  to: uuid(to),
  properties,
});
const edges: GraphEdge[] = [
  edge('HAS_SKILL', 4, 1, { level: 4 }),
  edge('REQUIRES', 1, 2),
  edge('USES', 3, 2),
  edge('APPLIES_TO', 3, 6),
  edge('APPLIES_TO', 3, 1),
  edge('MANAGES', 5, 4),
  edge('HAS_VERSION', 3, 11),
  edge('HAS_VERSION', 3, 12),
  edge('DERIVED_FROM', 12, 11),
];
const document = jsonLdDocument(nodes, edges, termSetNodes(nodes.map((node) => node.label)));
const byId = (expanded: NodeObject[]) => new Map(expanded.map((node) => [node['@id'], node]));

describe('the JSON-LD of a graph', () => {
  it('expands with the jsonld library without fetching anything, keeping every node', async () => {
    const { expanded, fetched } = await expandOffline(document);
    expect(fetched).toEqual([]);
    const ids = expanded.map((node) => String(node['@id']));
    expect(ids).toEqual(document['@graph'].map((node) => fullIri(node['@id'])));
    expect(ids.filter((id) => id.startsWith('urn:uuid:'))).toHaveLength(nodes.length);
  });

  it('keeps every term: each key written expands to the IRI its term defines, with its values', async () => {
    const { expanded } = await expandOffline(document);
    const found = byId(expanded);
    const lost = document['@graph'].flatMap((node: JsonLdNode) =>
      lostInExpansion(node, found.get(fullIri(node['@id'])) as NodeObject),
    );
    expect(lost).toEqual([]);
    // Every IRI expansion produced is in schema.org's or the project's vocabulary.
    const predicates = expanded
      .flatMap((node) => Object.keys(node))
      .filter((k) => !k.startsWith('@'));
    expect(
      predicates.filter((p) => !p.startsWith(SCHEMA_ORG) && !p.startsWith(AIA_VOCABULARY)),
    ).toEqual([]);
  });

  it('keeps every relation as a reference, under the schema.org or project term for its type', async () => {
    const { expanded } = await expandOffline(document);
    const references = referencesOf(expanded);
    const iriOf: Record<GraphEdge['type'], string> = {
      HAS_SKILL: `${AIA_VOCABULARY}hasSkill`,
      REQUIRES: `${AIA_VOCABULARY}requires`,
      USES: `${SCHEMA_ORG}tool`,
      APPLIES_TO: `${AIA_VOCABULARY}appliesTo`,
      DERIVED_FROM: `${SCHEMA_ORG}isBasedOn`,
      MANAGES: `${AIA_VOCABULARY}manages`,
      HAS_VERSION: `${AIA_VOCABULARY}hasVersion`,
    };
    for (const { type, from, to } of edges)
      expect(references).toContain(`${nodeIri(from)} ${iriOf[type]} ${nodeIri(to)}`);
    // The skill's level rides on a qualified SkillLevel beside the plain reference.
    const agent = byId(expanded).get(nodeIri(uuid(4))) as NodeObject;
    expect(agent[`${AIA_VOCABULARY}skillLevel`]).toEqual([
      {
        '@type': [`${AIA_VOCABULARY}SkillLevel`],
        [`${AIA_VOCABULARY}skill`]: [{ '@id': nodeIri(uuid(1)) }],
        [`${AIA_VOCABULARY}level`]: [
          { '@value': 4, '@type': 'http://www.w3.org/2001/XMLSchema#integer' },
        ],
      },
    ]);
  });

  it('types skills and task types as DefinedTerms of their sets, tools as applications and HowTo tools', async () => {
    const { expanded } = await expandOffline(document);
    const found = byId(expanded);
    const typesOf = (n: number) => found.get(nodeIri(uuid(n)))?.['@type'];
    expect(typesOf(1)).toEqual([`${SCHEMA_ORG}DefinedTerm`, `${AIA_VOCABULARY}Skill`]);
    expect(typesOf(2)).toEqual([
      `${SCHEMA_ORG}SoftwareApplication`,
      `${SCHEMA_ORG}HowToTool`,
      `${AIA_VOCABULARY}Tool`,
    ]);
    expect(typesOf(3)).toEqual([`${SCHEMA_ORG}HowTo`, `${AIA_VOCABULARY}Strategy`]);
    expect(found.get(nodeIri(uuid(6)))?.[`${SCHEMA_ORG}inDefinedTermSet`]).toEqual([
      { '@id': `${AIA_VOCABULARY}task-types` },
    ]);
    expect(found.get(`${AIA_VOCABULARY}skills`)?.['@type']).toEqual([
      `${SCHEMA_ORG}DefinedTermSet`,
    ]);
    // A version's spec stays one JSON value, not triples.
    expect(found.get(nodeIri(uuid(12)))?.[`${AIA_VOCABULARY}spec`]).toEqual([
      { '@value': { steps: ['search', 'summarise'], retries: 2 }, '@type': '@json' },
    ]);
  });

  it('would report a term its context does not define', () => {
    const written = { '@id': nodeIri(uuid(1)), '@type': 'DefinedTerm', colour: 'red' };
    expect(
      lostInExpansion(written, { '@id': nodeIri(uuid(1)), '@type': [`${SCHEMA_ORG}DefinedTerm`] }),
    ).toEqual([`${nodeIri(uuid(1))} colour`]);
  });
});
