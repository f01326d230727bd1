import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { filesystemReportStore } from '../reports/filesystem-report-store.js';
import { publishReports } from '../reports/publish-reports.js';
import { versionsOf } from '../reports/report-archive.js';
import { findRun, queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { executeNextRun } from './execute-run.js';

const db = useDiscoveryDatabase('venture-discovery-run-reports');
const HOUR_MS = 3_600_000;
const folders: string[] = [];

afterEach(() => {
  vi.useRealTimers();
});
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

describe("a run's reports", () => {
  it('are published once when an attempt that takes the run over publishes them an hour later', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'aia-run-reports-'));
    folders.push(folder);
    const store = filesystemReportStore(folder);
    const { context } = discoveryApp(db.sql, {
      publishReports: (input) => publishReports({ enabled: true, store }, input),
    });
    await insertSource(db.sql, '31111111-1111-4111-8111-111111111111', {
      name: 'sample rss for reports',
      kind: 'sample',
      url: 'startup-news.rss',
      mapping: {},
      interval_seconds: 3_600,
      max_bytes: 1_048_576,
      timeout_ms: 1_000,
      min_interval_seconds: 0,
      enabled: true,
    });
    const { run } = await queueRun(
      db.sql,
      '32222222-2222-4222-8222-222222222222',
      'manual:reports-twice',
      ['31111111-1111-4111-8111-111111111111'],
    );
    // Only the process's clock moves: the old report said it finished "now", by this clock.
    vi.useFakeTimers({ toFake: ['Date'] });
    const start = new Date();
    vi.setSystemTime(start);
    expect(await executeNextRun(context)).toBe('ran');
    const runReport = { kind: 'run', subject: run.id } as const;
    expect(await versionsOf(store, runReport)).toEqual([1]);

    // The first attempt published the reports and died before marking the run finished: as
    // stored, its run is still running at step scored, its lease expired.
    await db.sql`
      update discovery_runs
         set state = 'running', step = 'scored', finished_at = null,
             lease_until = now() - interval '1 second'
       where id = ${run.id}`;
    vi.setSystemTime(new Date(start.getTime() + HOUR_MS));
    expect(await executeNextRun(context)).toBe('ran');

    expect(await findRun(db.sql, run.id)).toMatchObject({ state: 'succeeded', attempts: 2 });
    expect(await versionsOf(store, runReport)).toEqual([1]);
    const opportunities = await db.sql<{ id: string }[]>`
      select id from discovery_opportunities where run_id = ${run.id}`;
    expect(opportunities.length).toBeGreaterThan(0);
    for (const { id } of opportunities)
      expect(await versionsOf(store, { kind: 'opportunity', subject: id })).toEqual([1]);
  });
});
