import jsonld, { type JsonLdDocument as LibraryDocument, type NodeObject } from 'jsonld';
import { AIA_VOCABULARY, DKG_CONTEXT, SCHEMA_ORG } from '../export/json-ld-context.js';
import type { JsonLdDocument, JsonLdNode } from '../export/json-ld-document.js';

const XSD = 'http://www.w3.org/2001/XMLSchema#';
const PREFIXES: Readonly<Record<string, string>> = {
  schema: SCHEMA_ORG,
  aia: AIA_VOCABULARY,
  xsd: XSD,
};

/** A compact IRI (`aia:skills`) in full; other IRIs (`urn:uuid:...`) as they are. */
export const fullIri = (iri: string): string => {
  const [prefix, rest] = iri.split(/:(.*)/s);
  const namespace = prefix === undefined ? undefined : PREFIXES[prefix];
  return namespace === undefined ? iri : namespace + rest;
};

/**
 * The IRI a term of the export's context stands for, read from `DKG_CONTEXT` itself (not from
 * the library): undefined for a term the context does not define, which expansion would drop.
 */
export function termIri(term: string): string | undefined {
  const definition = (DKG_CONTEXT as Record<string, unknown>)[term];
  if (typeof definition === 'string') return fullIri(definition);
  if (typeof definition === 'object' && definition !== null && '@id' in definition)
    return fullIri(String(definition['@id']));
  return undefined;
}

/**
 * Expands `document` with the jsonld library, refusing every remote document: the context must
 * be inline. `fetched` lists what the library asked for (so empty when it is).
 */
export async function expandOffline(document: JsonLdDocument) {
  const fetched: string[] = [];
  const expanded = await jsonld.expand(document as unknown as LibraryDocument, {
    documentLoader: async (url: string) => {
      fetched.push(url);
      throw new Error(`refused to fetch ${url}: the export's context must be inline`);
    },
  });
  return { expanded, fetched };
}

const KEYWORDS = new Set(['@id', '@type', '@context']);
const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);

/**
 * Where expansion lost something of `compact` (a node as the export wrote it) in `expanded` (the
 * same node expanded): each term the context does not define or whose IRI is missing, each type
 * not expanded to the IRI its term names, each value lost, recursively into embedded nodes.
 */
export function lostInExpansion(compact: JsonLdNode, expanded: NodeObject, at = compact['@id']) {
  const lost: string[] = [];
  const expandedTypes = asList(expanded['@type']);
  for (const type of asList(compact['@type'])) {
    const iri = termIri(String(type));
    if (iri === undefined || !expandedTypes.includes(iri)) lost.push(`${at} @type ${type}`);
  }
  for (const [term, value] of Object.entries(compact)) {
    if (KEYWORDS.has(term)) continue;
    const iri = termIri(term);
    const values = iri === undefined ? undefined : (expanded[iri] as unknown[] | undefined);
    if (iri === undefined || values === undefined) {
      lost.push(`${at} ${term}`);
      continue;
    }
    const written = asList(value);
    if (values.length !== written.length) lost.push(`${at} ${term}: ${values.length} values`);
    written.forEach((item, index) => {
      const embedded = values[index];
      if (typeof item === 'object' && item !== null && !Array.isArray(item) && term !== 'spec')
        lost.push(...lostInExpansion(item as JsonLdNode, embedded as NodeObject, `${at} ${term}`));
    });
  }
  return lost;
}

/** The references in expanded nodes, as `subject predicate object` lines. */
export function referencesOf(expanded: readonly NodeObject[]): Set<string> {
  const lines = new Set<string>();
  for (const node of expanded)
    for (const [predicate, values] of Object.entries(node))
      if (!predicate.startsWith('@'))
        for (const value of asList(values))
          if (
            typeof value === 'object' &&
            value !== null &&
            '@id' in value &&
            Object.keys(value).length === 1
          )
            lines.add(`${node['@id']} ${predicate} ${(value as { '@id': string })['@id']}`);
  return lines;
}
