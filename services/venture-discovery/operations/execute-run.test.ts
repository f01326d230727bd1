import { describe, expect, it } from 'vitest';
import { claimRun, findRun, queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { executeNextRun } from './execute-run.js';

const db = useDiscoveryDatabase('venture-discovery-runs');

describe('durable discovery runs', () => {
  it('takes over a run whose executor died once its lease expires, and finishes it once', async () => {
    const { context } = discoveryApp(db.sql);
    await insertSource(db.sql, '11111111-1111-4111-8111-111111111111', {
      name: 'sample rss',
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
      '22222222-2222-4222-8222-222222222222',
      'manual:crash',
      null,
    );
    // An executor claims it and dies: nothing else may take it while its lease holds.
    const dead = await claimRun(db.sql, 60_000);
    expect(dead?.id).toBe(run.id);
    expect(await executeNextRun(context)).toBe('idle');
    await db.sql`update discovery_runs set lease_until = now() - interval '1 second' where id = ${run.id}`;
    expect(await executeNextRun(context)).toBe('ran');
    const finished = await findRun(db.sql, run.id);
    expect(finished).toMatchObject({ state: 'succeeded', step: 'done', attempts: 2 });
    expect(finished?.sources['11111111-1111-4111-8111-111111111111']?.fetched).toBe(5);
    expect(await executeNextRun(context)).toBe('idle');
  });
});
