import type { RelationType } from '../domain/relations.js';
import type { EdgeType, NodeLabel } from '../graph/graph-schema.js';

/**
 * The JSON-LD vocabulary of the knowledge graph's export: schema.org's terms where one fits, the
 * project's own (`aia:`) for the rest. Every term the export writes is defined here, inline, so
 * the documents expand without fetching anything (schema.org's own context is never loaded) and
 * nothing is dropped on expansion.
 */

/** The project's vocabulary: classes and properties schema.org has no fitting term for. */
export const AIA_VOCABULARY = 'https://aia-platform.dev/ns/dkg#';
export const SCHEMA_ORG = 'https://schema.org/';

/** An entry's (or version's, task type's) IRI: its UUID as a URN, stable wherever it is served. */
export const nodeIri = (id: string): string => `urn:uuid:${id}`;

/** The DefinedTermSets skills and task types are terms of. */
export const TERM_SETS = {
  Skill: { id: 'aia:skills', name: 'Skills' },
  TaskType: { id: 'aia:task-types', name: 'Task types' },
} as const satisfies Partial<Record<NodeLabel, { id: string; name: string }>>;

const ref = (iri: string) => ({ '@id': iri, '@type': '@id' });
const dateTime = (iri: string) => ({ '@id': iri, '@type': 'xsd:dateTime' });

/** The `@context` of every document the export serves (JSON-LD 1.1). */
export const DKG_CONTEXT = {
  '@version': 1.1,
  schema: SCHEMA_ORG,
  aia: AIA_VOCABULARY,
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  // Classes.
  DefinedTerm: 'schema:DefinedTerm',
  DefinedTermSet: 'schema:DefinedTermSet',
  SoftwareApplication: 'schema:SoftwareApplication',
  HowTo: 'schema:HowTo',
  HowToTool: 'schema:HowToTool',
  Skill: 'aia:Skill',
  Tool: 'aia:Tool',
  Strategy: 'aia:Strategy',
  Agent: 'aia:Agent',
  TaskType: 'aia:TaskType',
  Version: 'aia:Version',
  SkillLevel: 'aia:SkillLevel',
  // Properties of entries and versions.
  name: 'schema:name',
  description: 'schema:description',
  keywords: 'schema:keywords',
  version: 'schema:version',
  dateCreated: dateTime('schema:dateCreated'),
  dateModified: dateTime('schema:dateModified'),
  inDefinedTermSet: ref('schema:inDefinedTermSet'),
  owner: 'aia:owner',
  createdBy: 'aia:createdBy',
  spec: { '@id': 'aia:spec', '@type': '@json' },
  // Relations.
  hasSkill: ref('aia:hasSkill'),
  skillLevel: 'aia:skillLevel',
  skill: ref('aia:skill'),
  level: { '@id': 'aia:level', '@type': 'xsd:integer' },
  requires: ref('aia:requires'),
  tool: ref('schema:tool'),
  appliesTo: ref('aia:appliesTo'),
  isBasedOn: ref('schema:isBasedOn'),
  manages: ref('aia:manages'),
  hasVersion: ref('aia:hasVersion'),
} as const;

/** The JSON-LD types of each kind of node: a schema.org class (if one fits) and the project's. */
export const NODE_TYPES: Readonly<Record<NodeLabel, readonly string[]>> = {
  Skill: ['DefinedTerm', 'Skill'],
  Tool: ['SoftwareApplication', 'HowToTool', 'Tool'],
  Strategy: ['HowTo', 'Strategy'],
  Agent: ['SoftwareApplication', 'Agent'],
  TaskType: ['DefinedTerm', 'TaskType'],
  Version: ['Version'],
};

/**
 * The property each relation is written as, on the node at its `from` end. HAS_SKILL is also
 * written qualified (`skillLevel`), since its level belongs to the relation, not to either end.
 */
export const RELATION_TERMS: Readonly<Record<RelationType | 'HAS_VERSION', string>> = {
  HAS_SKILL: 'hasSkill',
  REQUIRES: 'requires',
  USES: 'tool',
  APPLIES_TO: 'appliesTo',
  DERIVED_FROM: 'isBasedOn',
  MANAGES: 'manages',
  HAS_VERSION: 'hasVersion',
} satisfies Readonly<Record<EdgeType, string>>;
