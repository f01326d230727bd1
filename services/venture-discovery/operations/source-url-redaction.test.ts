import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filesystemReportStore } from '../reports/filesystem-report-store.js';
import { publishReports } from '../reports/publish-reports.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { rss, startSourceServer } from '../testing/source-server.js';
import { executeNextRun } from './execute-run.js';

const db = useDiscoveryDatabase('venture-discovery-url-redaction');
const SECRET = 'sk-live-0123456789';
const PASSWORD = 'hunter2';
const OK = 200;

let server: Awaited<ReturnType<typeof startSourceServer>>;
let folder: string;
beforeAll(async () => {
  server = await startSourceServer({
    '/feed.rss': { headers: { 'content-type': 'application/rss+xml' }, body: rss([]) },
  });
  folder = await mkdtemp(join(tmpdir(), 'aia-url-redaction-'));
});
afterAll(async () => {
  await server?.close();
  if (folder) await rm(folder, { recursive: true, force: true });
});

describe("a source URL's credentials", () => {
  it('never show in the source, the run or its report, and survive an update sending the URL as shown', async () => {
    const store = filesystemReportStore(folder);
    const { call, context } = discoveryApp(db.sql, {
      publishReports: (input) => publishReports({ enabled: true, store }, input),
    });
    const url = server
      .url(`/feed.rss?api_key=${SECRET}&lang=en`)
      .replace('http://', `http://reader:${PASSWORD}@`);
    const created = await call('POST', '/sources', {
      body: { name: 'keyed', kind: 'feed', url, min_interval_seconds: 0, timeout_ms: 1_000 },
    });
    const source = (await created.json()) as { id: string; url: string };
    expect(source.url).toContain('api_key=REDACTED');
    expect(source.url).toContain('lang=en');

    const queued = (await (await call('POST', '/runs')).json()) as { id: string };
    expect(await executeNextRun(context)).toBe('ran');

    const shown = [
      await (await call('GET', '/sources')).text(),
      await (await call('GET', `/sources/${source.id}`)).text(),
      await (await call('GET', `/runs/${queued.id}`)).text(),
      ...(
        await db.sql<{ sources: string }[]>`
          select sources::text from discovery_runs where id = ${queued.id}`
      ).map((r) => r.sources),
    ];
    const files = (await readdir(folder, { recursive: true })).filter((f) => f.endsWith('.jsonld'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) shown.push(await readFile(join(folder, file), 'utf8'));
    const runReport = shown.find((text) => text.includes('DiscoveryRun')) ?? '';
    expect(runReport).toContain('api_key=REDACTED');
    for (const text of shown) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(PASSWORD);
    }

    // A client sends back the URL as it was shown: the stored one (with its key) stays.
    const updated = await call('PUT', `/sources/${source.id}`, {
      body: {
        name: 'keyed',
        url: source.url,
        min_interval_seconds: 0,
        timeout_ms: 1_000,
      },
    });
    expect(updated.status).toBe(OK);
    const [stored] = await db.sql<{ url: string }[]>`
      select url from discovery_sources where id = ${source.id}`;
    expect(stored?.url).toBe(url);
  });
});
