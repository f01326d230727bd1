import { describe, expect, it } from 'vitest';
import { queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { executeNextRun } from './execute-run.js';
import { SAMPLE_SOURCES } from './sample-sources.js';

const db = useDiscoveryDatabase('venture-discovery-source-removal');
const NO_CONTENT = 204;
const NOT_FOUND = 404;
const CONFLICT = 409;
const SOURCE = '71111111-1111-4111-8111-111111111111';

describe('removing a source', () => {
  it('is refused while its signals are evidence of opportunities, and allowed for a source whose signals back none', async () => {
    const { call, context } = discoveryApp(db.sql);
    const [sample] = SAMPLE_SOURCES;
    if (!sample) throw new Error('no sample source');
    await insertSource(db.sql, SOURCE, { ...sample, min_interval_seconds: 0 });
    await queueRun(db.sql, '72222222-2222-4222-8222-222222222222', 'manual:removal', null);
    expect(await executeNextRun(context)).toBe('ran');
    const evidence = async () =>
      (await db.sql<{ n: number }[]>`select count(*)::int as n from discovery_evidence`)[0]?.n;
    const before = await evidence();
    expect(before).toBeGreaterThan(0);

    const refused = await call('DELETE', `/sources/${SOURCE}`);
    expect(refused.status).toBe(CONFLICT);
    expect(await refused.text()).toContain('source_backs_opportunities');
    expect(await evidence()).toBe(before);

    const unused = await call('POST', '/sources', { body: { name: 'unused', kind: 'upload' } });
    const { id } = (await unused.json()) as { id: string };
    expect((await call('DELETE', `/sources/${id}`)).status).toBe(NO_CONTENT);
    expect((await call('DELETE', `/sources/${id}`)).status).toBe(NOT_FOUND);
  });
});
