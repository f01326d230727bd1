/**
 * The JSON-LD vocabulary of the venture discovery reports, version 1: schema.org's terms where
 * one fits, the project's own (`aia:`) for the rest. Every term a report writes is defined here,
 * so a report expands without fetching anything and nothing is dropped on expansion.
 *
 * Published: reports name it by {@link REPORT_CONTEXT_URL}, the service serves it at
 * `GET /v1/reports/context.jsonld`. A released term is never changed or removed: a change of
 * meaning is a new file (`report-context-v2`) and a new URL, so every stored report keeps the
 * meaning it had. Terms may be added (`ModelAssistance`, `assistance`, `model` were, for LLM
 * assistance): no stored report uses them, so none changes meaning.
 */

/** The project's vocabulary for what schema.org has no term for (as the DKG's `…/ns/dkg#`). */
export const VENTURES_VOCABULARY = 'https://aia-platform.dev/ns/ventures#';
export const SCHEMA_ORG = 'https://schema.org/';

/** The IRI reports name their `@context` by: stable, versioned, never fetched by the service. */
export const REPORT_CONTEXT_URL = 'https://aia-platform.dev/ns/ventures/reports/v1/context.jsonld';

const ref = (iri: string) => ({ '@id': iri, '@type': '@id' });
const typed = (iri: string, type: string) => ({ '@id': iri, '@type': type });
const dateTime = (iri: string) => typed(iri, 'xsd:dateTime');
const double = (iri: string) => typed(iri, 'xsd:double');
const integer = (iri: string) => typed(iri, 'xsd:integer');

/** The context's own content (JSON-LD 1.1), as served at the published URL. */
export const REPORT_CONTEXT = {
  '@version': 1.1,
  schema: SCHEMA_ORG,
  aia: VENTURES_VOCABULARY,
  xsd: 'http://www.w3.org/2001/XMLSchema#',
  // schema.org classes.
  Report: 'schema:Report',
  Dataset: 'schema:Dataset',
  PropertyValue: 'schema:PropertyValue',
  Organization: 'schema:Organization',
  Thing: 'schema:Thing',
  WebPage: 'schema:WebPage',
  CreativeWork: 'schema:CreativeWork',
  // The project's classes.
  DiscoveryRun: 'aia:DiscoveryRun',
  Opportunity: 'aia:Opportunity',
  ScoreComponent: 'aia:ScoreComponent',
  SourceFailure: 'aia:SourceFailure',
  ModelAssistance: 'aia:ModelAssistance',
  // schema.org properties.
  name: 'schema:name',
  description: 'schema:description',
  abstract: 'schema:abstract',
  identifier: 'schema:identifier',
  version: integer('schema:version'),
  dateCreated: dateTime('schema:dateCreated'),
  datePublished: dateTime('schema:datePublished'),
  startTime: dateTime('schema:startTime'),
  endTime: dateTime('schema:endTime'),
  url: ref('schema:url'),
  about: 'schema:about',
  publisher: 'schema:publisher',
  keywords: 'schema:keywords',
  mentions: 'schema:mentions',
  citation: 'schema:citation',
  isPartOf: 'schema:isPartOf',
  isBasedOn: 'schema:isBasedOn',
  hasPart: ref('schema:hasPart'),
  additionalProperty: 'schema:additionalProperty',
  value: 'schema:value',
  // The project's properties.
  status: 'aia:status',
  sourceKind: 'aia:sourceKind',
  failure: 'aia:failure',
  entityKind: 'aia:entityKind',
  scoringWeight: 'aia:scoringWeight',
  score: double('aia:score'),
  scoreComponent: 'aia:scoreComponent',
  weight: double('aia:weight'),
  contribution: double('aia:contribution'),
  run: ref('aia:run'),
  assistance: 'aia:assistance',
  model: 'aia:model',
} as const;

/** A context term: what documents may use as a property or a type. */
export type ReportTerm = Exclude<
  keyof typeof REPORT_CONTEXT,
  `@${string}` | 'schema' | 'aia' | 'xsd'
>;

/** The published context document (what `GET /v1/reports/context.jsonld` answers). */
export const REPORT_CONTEXT_DOCUMENT = { '@context': REPORT_CONTEXT } as const;
