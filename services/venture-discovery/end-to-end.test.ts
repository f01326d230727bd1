import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { corpusSignals } from '../../bench/discovery/corpus.js';
import { createTestDatabase, type TestDatabase } from '../../test/harness/databases.js';
import { testPlatformKeysJson, testToken } from '../../test/harness/jwt.js';
import { findFreePort } from '../../tools/local-servers/index.js';
import { type RunningService, startService } from '../platform/runtime.js';
import { ventureDiscoveryModule } from './module.js';
import { REPORT_CONTEXT_URL } from './reports/report-context.js';
import { reportIri } from './reports/report-ids.js';
import { MAX_REPORT_PAGE } from './reports/report-routes.js';
import { type LocalS3, startLocalS3 } from './reports/testing/s3-server.js';
import { rss, startSourceServer } from './testing/source-server.js';

// The service as `npm run service venture-discovery` starts it (its runtime, migrations,
// workers) on real PostgreSQL, fed by local HTTP feeds, driven only through its API; its reports
// in a folder, then on a real S3-compatible server.

const silent = new Writable({ write: (_chunk, _encoding, done) => done() });
const RUN_WAIT_MS = 60_000;

/** Corpus items as feed items, undated (seen when read). */
const items = corpusSignals()
  .filter((s) => s.id.startsWith('c-'))
  .map((s) => ({ title: s.title, text: s.body, link: s.url ?? '' }));
const half = Math.ceil(items.length / 2);

let feeds: Awaited<ReturnType<typeof startSourceServer>>;
let s3: LocalS3;
let folder: string;
const databases: TestDatabase[] = [];
const running: RunningService[] = [];

beforeAll(async () => {
  feeds = await startSourceServer({
    '/a.rss': {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(items.slice(0, half)),
    },
    '/b.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss(items.slice(half)) },
  });
  s3 = await startLocalS3();
  folder = await mkdtemp(join(tmpdir(), 'aia-discovery-e2e-'));
});
afterAll(async () => {
  await Promise.all(running.map((service) => service.stop()));
  await Promise.all(databases.map((database) => database.drop()));
  await feeds?.close();
  await s3?.stop();
  if (folder) await rm(folder, { recursive: true, force: true });
});

/** Starts the service on a database of its own, reports stored as `reportsEnv` says. */
async function startDiscovery(reportsEnv: Record<string, string>) {
  const database = await createTestDatabase('venture_discovery_e2e');
  databases.push(database);
  const service = await startService('venture-discovery', {
    env: {
      HOST: '127.0.0.1',
      PORT: String(await findFreePort()),
      ENVIRONMENT: 'test',
      LOG_LEVEL: 'silent',
      JWT_PUBLIC_KEYS: testPlatformKeysJson,
      DATABASE_URL: database.url,
      VENTURE_DISCOVERY_ENABLED: 'true',
      STRUCTURED_REPORTS_ENABLED: 'true',
      DISCOVERY_SOURCES_ALLOW_PRIVATE_ADDRESSES: 'true',
      DISCOVERY_SAMPLE_SOURCES: 'false',
      ...reportsEnv,
    },
    module: ventureDiscoveryModule,
    logDestination: silent,
  });
  running.push(service);
  const token = await testToken({
    subject: 'user:ada',
    scope: 'ventures:read ventures:write',
    expiresIn: '1h',
  });
  const call = (method: string, path: string, body?: unknown, headers: object = {}) =>
    fetch(`${service.url}/v1${path}`, {
      method,
      headers: {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  return { service, call };
}

type Call = Awaited<ReturnType<typeof startDiscovery>>['call'];

/** Adds the two feeds, runs a discovery of them, waits for it through the API; its id. */
async function discover(call: Call, trigger: string): Promise<string> {
  const sourceIds: string[] = [];
  for (const path of ['/a.rss', '/b.rss']) {
    const added = await call('POST', '/sources', {
      name: `feed ${path}`,
      kind: 'feed',
      url: feeds.url(path),
      min_interval_seconds: 0,
    });
    expect(added.status).toBe(201);
    sourceIds.push(((await added.json()) as { id: string }).id);
  }
  const queued = await call(
    'POST',
    '/runs',
    { source_ids: sourceIds },
    { 'Idempotency-Key': trigger },
  );
  expect(queued.status).toBe(202);
  const { id } = (await queued.json()) as { id: string };
  const finished = await vi.waitFor(
    async () => {
      const run = (await (await call('GET', `/runs/${id}`)).json()) as { state: string };
      if (run.state !== 'succeeded' && run.state !== 'failed') throw new Error(`run ${run.state}`);
      return run as { state: string; step: string; progress: { fetched: number; scored: number } };
    },
    { timeout: RUN_WAIT_MS, interval: 100 },
  );
  expect(finished).toMatchObject({ state: 'succeeded', step: 'done' });
  expect(finished.progress.fetched).toBe(items.length);
  expect(finished.progress.scored).toBeGreaterThan(0);
  return id;
}

/** Lists the run's reports through the API, fetches the run's and one opportunity's, and checks them. */
async function expectReportsOf(call: Call, runId: string) {
  const page = (await (await call('GET', `/opportunities?limit=200&run_id=${runId}`)).json()) as {
    items: { id: string }[];
  };
  const opportunityIds = page.items.map((o) => o.id).sort();
  expect(opportunityIds.length).toBeGreaterThan(0);

  const listing = await call('GET', `/reports?run=${runId}&limit=${MAX_REPORT_PAGE}`);
  expect(listing.status).toBe(200);
  const listed = (await listing.json()) as {
    items: { id: string; kind: string; subject: string; latest: number }[];
    next?: string;
  };
  expect(listed.next).toBeUndefined();
  expect(listed.items.map((r) => r.id).sort()).toEqual(
    [`run-${runId}`, ...opportunityIds.map((id) => `opportunity-${id}`)].sort(),
  );
  // The run's report is its first version; an opportunity the scheduler's own run (queued as
  // the sources were added) scored first has a later version, as its theme's scores changed.
  expect(listed.items.find((r) => r.id === `run-${runId}`)?.latest).toBe(1);
  expect(listed.items.every((r) => r.latest >= 1)).toBe(true);

  const res = await call('GET', `/reports/run-${runId}`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
  const report = JSON.parse(await res.text()) as {
    '@context': string;
    '@type': string;
    about: { '@type': string; identifier: string };
    hasPart: string[];
  };
  expect(report['@context']).toBe(REPORT_CONTEXT_URL);
  expect(report['@type']).toBe('Report');
  expect(report.about).toMatchObject({ '@type': 'DiscoveryRun', identifier: runId });
  expect([...report.hasPart].sort()).toEqual(
    opportunityIds.map((id) => reportIri({ kind: 'opportunity', subject: id })).sort(),
  );

  const [first] = opportunityIds;
  const opportunity = JSON.parse(
    await (await call('GET', `/reports/opportunity-${first}`)).text(),
  ) as { '@context': string; '@type': string; about: { '@type': string; identifier: string } };
  expect(opportunity['@context']).toBe(REPORT_CONTEXT_URL);
  expect(opportunity.about).toMatchObject({ '@type': 'Opportunity', identifier: first });
  return [runId, ...opportunityIds];
}

describe('venture discovery end to end: sources, a run, its reports, through the API alone', () => {
  it('keeps the reports of a run in the folder of a service without object storage', {
    timeout: 120_000,
  }, async () => {
    const { call } = await startDiscovery({ DISCOVERY_REPORTS_DIRECTORY: folder });
    const runId = await discover(call, 'e2e-filesystem');
    const subjects = await expectReportsOf(call, runId);
    const stored = (await readdir(folder, { recursive: true })).filter((f) =>
      f.endsWith('.jsonld'),
    );
    for (const subject of subjects)
      expect(stored.some((file) => file.includes(subject))).toBe(true);
  });

  it('keeps them in the bucket of a service with object storage, over the S3 API', {
    timeout: 120_000,
  }, async () => {
    const { call } = await startDiscovery({
      S3_ENDPOINT: s3.endpoint,
      S3_BUCKET: s3.storage.bucket,
      S3_REGION: 'us-east-1',
      S3_AUTH: 'access-key',
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    });
    const runId = await discover(call, 'e2e-s3');
    const subjects = await expectReportsOf(call, runId);
    const listed = await s3.storage.client.send(
      new ListObjectsV2Command({ Bucket: s3.storage.bucket, MaxKeys: 1_000 }),
    );
    const keys = (listed.Contents ?? []).map((object) => object.Key ?? '');
    for (const subject of subjects) expect(keys.some((key) => key.includes(subject))).toBe(true);
  });
});
