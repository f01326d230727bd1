import type { NodeObject } from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { kitApp } from '../../../test/harness/kit-app.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { createOpenApiApp, serveOpenApiDocument } from '../../platform/openapi.js';
import { nodeIri } from '../export/json-ld-context.js';
import type { JsonLdDocument, JsonLdNode } from '../export/json-ld-document.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { dkgApp } from '../testing/dkg-app.js';
import {
  expandOffline,
  fullIri,
  lostInExpansion,
  referencesOf,
} from '../testing/json-ld-expansion.js';
import { addExportRoutes, JSON_LD } from './export-routes.js';

const database = useTestDatabase('dkg_export');
let sql: Database;
let dkg: ReturnType<typeof dkgApp>;
let exporter: ReturnType<typeof bearerCaller>;
const ids: Record<string, string> = {};

/** The export routes on the kit (authentication, error handler), as the module mounts them. */
function exportApp(db: Database) {
  const routes = createOpenApiApp();
  addExportRoutes(routes, { graph: postgresGraphStore(db), sql: db });
  serveOpenApiDocument(routes, { title: 'export', description: 'export routes' });
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'dkg-manager',
  });
  const { app } = kitApp({ service: 'dkg-manager', logLevel: 'silent', verify, routes });
  return bearerCaller(app, { as: 'ada', scope: 'dkg:read' });
}

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-export-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  dkg = dkgApp(sql);
  exporter = exportApp(sql);
  const create = async (registry: string, name: string) => {
    const res = await dkg.call('POST', `/${registry}`, { body: { name, spec: { about: name } } });
    ids[name] = ((await res.json()) as { entry: { id: string } }).entry.id;
  };
  for (const name of ['Analyst', 'Lead', 'Scout']) await create('agents', name);
  for (const name of ['Market research', 'Forecasting']) await create('skills', name);
  for (const name of ['Web search', 'Spreadsheet']) await create('tools', name);
  await create('strategies', 'Search then summarise');
  const relate = (type: string, from: string, to: string, extra = {}) =>
    dkg.call('PUT', '/relations', {
      body: { type, from_id: ids[from], to_id: ids[to], ...extra },
    });
  await relate('HAS_SKILL', 'Analyst', 'Market research', { level: 3 });
  await relate('HAS_SKILL', 'Scout', 'Forecasting', { level: 5 });
  await relate('REQUIRES', 'Market research', 'Web search');
  await relate('USES', 'Search then summarise', 'Web search');
  await relate('USES', 'Search then summarise', 'Spreadsheet');
  await relate('MANAGES', 'Lead', 'Analyst');
  await dkg.call('PUT', '/relations', {
    body: {
      type: 'APPLIES_TO',
      from_id: ids['Search then summarise'],
      to_task_type: 'Market sizing',
    },
  });
  await dkg.call('POST', `/strategies/${ids['Search then summarise']}/versions`, {
    body: { spec: { steps: ['search', 'check', 'summarise'] } },
  });
});
afterAll(async () => {
  await sql?.end();
});

/** Every page of the export, following each Link rel="next" from the first. */
async function allPages(limit: number) {
  const pages: JsonLdDocument[] = [];
  let path: string | undefined = `/graph/export.jsonld?limit=${limit}`;
  while (path !== undefined) {
    const res = await exporter.call('GET', path);
    expect(res.status, await res.clone().text()).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_LD);
    pages.push((await res.json()) as JsonLdDocument);
    // A reference relative to the page's own URL (it holds behind the gateway's prefix too).
    const next = /^<([^>]+)>; rel="next"$/.exec(res.headers.get('link') ?? '');
    path = next?.[1]
      ? new URL(next[1], `http://dkg.test/v1${path}`).href.replace('http://dkg.test/v1', '')
      : undefined;
  }
  return pages;
}

const graphCounts = async () => {
  const [row] = await sql<{ nodes: number; edges: number }[]>`
    select (select count(*)::int from graph_nodes) as nodes,
           (select count(*)::int from graph_edges) as edges`;
  return row as { nodes: number; edges: number };
};

describe('GET /graph/export.jsonld', () => {
  it('pages through the whole graph; expanded offline, every node and relation is kept', async () => {
    const pages = await allPages(4);
    const { nodes, edges } = await graphCounts();
    expect(pages.length).toBe(Math.ceil(nodes / 4));
    const written: JsonLdNode[] = [];
    const expanded: NodeObject[] = [];
    for (const page of pages) {
      const result = await expandOffline(page);
      expect(result.fetched).toEqual([]);
      written.push(...page['@graph']);
      expanded.push(...result.expanded);
    }
    const entries = expanded.filter((node) => String(node['@id']).startsWith('urn:uuid:'));
    expect(entries).toHaveLength(nodes);
    expect(new Set(entries.map((node) => node['@id'])).size).toBe(nodes);
    // The two DefinedTermSets, once.
    expect(expanded).toHaveLength(nodes + 2);

    const found = new Map(expanded.map((node) => [node['@id'], node]));
    const lost = written.flatMap((node) =>
      lostInExpansion(node, found.get(fullIri(node['@id'])) as NodeObject),
    );
    expect(lost).toEqual([]);

    const references = referencesOf(expanded);
    const graphEdges = await sql<{ from_id: string; to_id: string }[]>`
      select from_id, to_id from graph_edges`;
    expect(graphEdges).toHaveLength(edges);
    const between = (from: string, to: string) =>
      [...references].some(
        (line) => line.startsWith(`${nodeIri(from)} `) && line.endsWith(` ${nodeIri(to)}`),
      );
    expect(graphEdges.filter(({ from_id, to_id }) => !between(from_id, to_id))).toEqual([]);
  });

  it('gives the same nodes whatever the page size', async () => {
    const idsOf = (pages: JsonLdDocument[]) =>
      pages.flatMap((page) => page['@graph'].map((node) => node['@id']));
    const one = idsOf(await allPages(1000));
    expect(idsOf(await allPages(3))).toEqual(one);
  });

  it('refuses a page larger than the maximum and a cursor it did not give, naming the field', async () => {
    const tooLarge = await exporter.call('GET', '/graph/export.jsonld?limit=1001');
    expect(tooLarge.status).toBe(422);
    expect(((await tooLarge.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'limit',
    );
    const forged = await exporter.call('GET', '/graph/export.jsonld?cursor=bm90LWpzb24');
    expect(forged.status).toBe(422);
    expect(((await forged.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe(
      'cursor',
    );
    const unscoped = await exporter.call('GET', '/graph/export.jsonld', { scope: 'dkg:write' });
    expect(unscoped.status).toBe(403);
  });
});

describe('GET /graph/neighbourhood.jsonld', () => {
  it('holds the same nodes and relations as the JSON neighbourhood, expanded offline', async () => {
    const path = `neighbourhood?id=${ids['Web search']}&hops=2`;
    const plain = (await (await dkg.call('GET', `/graph/${path}`)).json()) as {
      nodes: { id: string }[];
      edges: { from_id: string; to_id: string }[];
    };
    const res = await exporter.call('GET', `/graph/${path.replace('?', '.jsonld?')}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(JSON_LD);
    const { expanded, fetched } = await expandOffline((await res.json()) as JsonLdDocument);
    expect(fetched).toEqual([]);
    const entryIds = expanded
      .map((node) => String(node['@id']))
      .filter((id) => id.startsWith('urn:uuid:'));
    expect(entryIds.sort()).toEqual(plain.nodes.map((node) => nodeIri(node.id)).sort());
    const references = [...referencesOf(expanded)];
    for (const { from_id, to_id } of plain.edges)
      expect(
        references.some(
          (line) => line.startsWith(`${nodeIri(from_id)} `) && line.endsWith(nodeIri(to_id)),
        ),
      ).toBe(true);
  });

  it('refuses an unknown id (422 naming id) and too many hops', async () => {
    const unknown = await exporter.call(
      'GET',
      '/graph/neighbourhood.jsonld?id=00000000-0000-4000-8000-000000000000',
    );
    expect(unknown.status).toBe(422);
    expect(((await unknown.json()) as { errors: { field: string }[] }).errors[0]?.field).toBe('id');
    const far = await exporter.call('GET', `/graph/neighbourhood.jsonld?id=${ids.Lead}&hops=4`);
    expect(far.status).toBe(422);
  });
});

describe('the OpenAPI document', () => {
  it('describes both routes as answering application/ld+json', async () => {
    const res = await exporter.call('GET', '/openapi.json');
    const doc = (await res.json()) as {
      paths: Record<string, { get: { responses: Record<string, { content?: object }> } }>;
    };
    for (const path of ['/graph/export.jsonld', '/graph/neighbourhood.jsonld'])
      expect(Object.keys(doc.paths[path]?.get.responses['200']?.content ?? {})).toEqual([JSON_LD]);
  });
});
