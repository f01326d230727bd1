import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerCaller } from '../../../test/harness/bearer-caller.js';
import { testPlatformKeys } from '../../../test/harness/jwt.js';
import { jsonOf, kitApp } from '../../../test/harness/kit-app.js';
import { createJwtVerifier } from '../../platform/auth.js';
import { createOpenApiApp, serveOpenApiDocument } from '../../platform/openapi.js';
import { filesystemReportStore } from './filesystem-report-store.js';
import { publishReports } from './publish-reports.js';
import { sha256 } from './report-archive.js';
import { REPORT_CONTEXT } from './report-context.js';
import { REPORT_PAGE_CSP } from './report-html.js';
import { addReportRoutes } from './report-routes.js';
import type { ReportStore } from './report-store.js';
import {
  OPPORTUNITY_IDS,
  RUN_ID,
  sampleOpportunity,
  sampleRun,
} from './testing/report-fixtures.js';

/** The report routes on the kit (authentication, error handler), as the module mounts them. */
function reportsApp(enabled: boolean, store: ReportStore) {
  const routes = createOpenApiApp();
  addReportRoutes(routes, { enabled, store });
  serveOpenApiDocument(routes, { title: 'reports', description: 'report routes' });
  const verify = createJwtVerifier({
    publicKeys: testPlatformKeys,
    issuer: 'aia-platform',
    audience: 'aia-platform',
    service: 'venture-discovery',
  });
  const { app } = kitApp({ service: 'venture-discovery', logLevel: 'silent', verify, routes });
  return bearerCaller(app, { as: 'ada', scope: 'ventures:read' });
}

let root: string;
let store: ReportStore;
let api: ReturnType<typeof reportsApp>;
const opportunity = `opportunity-${OPPORTUNITY_IDS[0]}`;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'aia-report-routes-'));
  store = filesystemReportStore(root);
  const input = {
    run: sampleRun(),
    opportunities: [
      sampleOpportunity(),
      sampleOpportunity({ id: OPPORTUNITY_IDS[1], title: 'Second' }),
    ],
  };
  await publishReports({ enabled: true, store }, input);
  await publishReports(
    { enabled: true, store },
    {
      run: sampleRun(),
      opportunities: [sampleOpportunity({ title: 'Renamed' })],
    },
  );
  api = reportsApp(true, store);
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('GET /v1/reports/{id}', () => {
  it('answers the latest JSON-LD as application/ld+json with its version and hash', async () => {
    const res = await api.call('GET', `/reports/${opportunity}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/ld+json');
    expect(res.headers.get('x-report-version')).toBe('2');
    const body = await res.text();
    expect(res.headers.get('etag')).toBe(`"${sha256(body)}"`);
    expect(JSON.parse(body)).toMatchObject({ '@type': 'Report', name: 'Renamed', version: 2 });
  });

  it('answers an older version, which may be cached for good', async () => {
    const res = await api.call('GET', `/reports/${opportunity}?version=1`);
    expect(await jsonOf(res)).toMatchObject({
      name: 'Invoice automation for small clinics',
      version: 1,
    });
    expect(res.headers.get('cache-control')).toContain('immutable');
  });

  it('answers the HTML page for Accept: text/html and for the .html id, with its CSP', async () => {
    for (const [path, headers] of [
      [`/reports/${opportunity}`, { Accept: 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.8' }],
      [`/reports/${opportunity}.html`, {}],
    ] as const) {
      const res = await api.call('GET', path, { headers });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('content-security-policy')).toBe(REPORT_PAGE_CSP);
      expect(await res.text()).toContain('<h1>Renamed</h1>');
    }
  });

  it('answers 404 for an unknown report or version, and 422 naming the field for a bad id or version', async () => {
    expect((await api.call('GET', '/reports/run-unknown')).status).toBe(404);
    const missing = await api.call('GET', `/reports/${opportunity}?version=7`);
    expect(missing.status).toBe(404);
    expect((await jsonOf(missing)).detail).toBe(`report ${opportunity} has no version 7`);
    const badId = await api.call('GET', '/reports/invoice-1');
    expect(badId.status).toBe(422);
    expect((await jsonOf(badId)).errors).toEqual([
      { field: 'id', reason: 'must start with "run-" or "opportunity-"' },
    ]);
    const badVersion = await api.call('GET', `/reports/${opportunity}?version=0`);
    expect((await jsonOf(badVersion)).errors).toEqual([
      { field: 'version', reason: expect.stringContaining('whole number') },
    ]);
  });

  it('requires ventures:read', async () => {
    const res = await api.call('GET', `/reports/${opportunity}`, { scope: 'dkg:read' });
    expect(res.status).toBe(403);
  });
});

describe('GET /v1/reports/{id}/versions', () => {
  it('lists each version with the hash of its JSON-LD and where to read it', async () => {
    const body = await jsonOf(await api.call('GET', `/reports/${opportunity}/versions`));
    const v1 = await (await api.call('GET', `/reports/${opportunity}?version=1`)).text();
    expect(body).toEqual({
      id: opportunity,
      versions: [
        {
          version: 1,
          sha256: sha256(v1),
          stored_at: expect.any(String),
          jsonld: `${opportunity}?version=1`,
          html: `${opportunity}.html?version=1`,
        },
        expect.objectContaining({ version: 2 }),
      ],
    });
  });
});

describe('GET /v1/reports', () => {
  it('pages through every report with the cursor it gives', async () => {
    const first = await jsonOf(await api.call('GET', '/reports?limit=2'));
    expect((first.items as { id: string }[]).map((i) => i.id)).toEqual([
      opportunity,
      `opportunity-${OPPORTUNITY_IDS[1]}`,
    ]);
    expect(first.items).toContainEqual(
      expect.objectContaining({ id: opportunity, versions: [1, 2], latest: 2 }),
    );
    const second = await jsonOf(await api.call('GET', `/reports?limit=2&cursor=${first.next}`));
    expect(second).toEqual({
      items: [{ id: `run-${RUN_ID}`, kind: 'run', subject: RUN_ID, versions: [1], latest: 1 }],
    });
  });

  it('filters by kind, run and opportunity', async () => {
    const ids = async (query: string) =>
      ((await jsonOf(await api.call('GET', `/reports?${query}`))).items as { id: string }[]).map(
        (i) => i.id,
      );
    expect(await ids('kind=run')).toEqual([`run-${RUN_ID}`]);
    expect(await ids(`run=${RUN_ID}&kind=opportunity`)).toEqual([
      opportunity,
      `opportunity-${OPPORTUNITY_IDS[1]}`,
    ]);
    expect(await ids(`opportunity=${OPPORTUNITY_IDS[1]}`)).toEqual([
      `opportunity-${OPPORTUNITY_IDS[1]}`,
    ]);
    expect(await ids('run=another-run')).toEqual([]);
  });

  it('answers 422 naming each bad field', async () => {
    const res = await api.call('GET', '/reports?kind=invoice&limit=1000&run=../etc');
    expect(res.status).toBe(422);
    const fields = ((await jsonOf(res)).errors as { field: string }[]).map((e) => e.field).sort();
    expect(fields).toEqual(['kind', 'limit', 'run']);
    const cursor = await api.call(
      'GET',
      `/reports?kind=run&cursor=${Buffer.from('elsewhere/x').toString('base64url')}`,
    );
    expect((await jsonOf(cursor)).errors).toEqual([
      { field: 'cursor', reason: expect.stringContaining('not a cursor') },
    ]);
  });
});

describe('GET /v1/reports/context.jsonld', () => {
  it('serves the published context', async () => {
    const res = await api.call('GET', '/reports/context.jsonld');
    expect(res.headers.get('content-type')).toBe('application/ld+json');
    expect(await res.json()).toEqual({ '@context': REPORT_CONTEXT });
  });
});

describe('with STRUCTURED_REPORTS_ENABLED off', () => {
  it('answers 404 reports_disabled on every report route, even for a stored report', async () => {
    const off = reportsApp(false, store);
    for (const path of [
      '/reports',
      `/reports/${opportunity}`,
      `/reports/${opportunity}.html`,
      `/reports/${opportunity}/versions`,
    ]) {
      const res = await off.call('GET', path);
      expect(res.status).toBe(404);
      const problem = await jsonOf(res);
      expect(problem.type).toBe('urn:aia:problem:reports_disabled');
      expect(problem.detail).toContain('STRUCTURED_REPORTS_ENABLED');
    }
  });
});
