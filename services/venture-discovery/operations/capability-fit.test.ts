import { describe, expect, it } from 'vitest';
import { testServiceKeys, testToken } from '../../../test/harness/jwt.js';
import { useDkgServer } from '../../../test/service-clients/dkg-server.js';
import { createServiceClients } from '../../clients.js';
import type { ScoredComponent } from '../domain/scoring.js';
import { queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import type { DiscoveryContext } from './discovery-context.js';
import { readCapabilities } from './dkg-capabilities.js';
import { executeNextRun } from './execute-run.js';

const dkg = useDkgServer('venture_dkg');
const db = useDiscoveryDatabase('venture-discovery-fit');

/** Venture discovery's own DKG client, as the kit builds it (its key, scope dkg:read). */
const discoveryDkg = (config: Record<string, string | undefined> = {}) =>
  createServiceClients({
    service: 'venture-discovery',
    config: {
      JWT_ISSUER: 'aia-platform',
      SERVICE_SIGNING_KEY: testServiceKeys['venture-discovery'],
      DKG_MANAGER_URL: dkg.server.url,
      ...config,
    },
    policy: { timeoutMs: 1_000, retries: 0 },
  })['dkg-manager'];

async function addEntry(registry: 'skills' | 'tools', name: string, description: string) {
  const token = await testToken({ subject: 'user:ada', scope: 'dkg:read dkg:write' });
  const res = await fetch(`${dkg.server.url}/v1/${registry}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ name, description }),
  });
  expect(res.status).toBe(201);
}

let sourceNumber = 0;
/** Queues a run over the sample RSS feed, carries it out, and answers its opportunities' fit. */
async function runOnSamples(capabilities: DiscoveryContext['capabilities']) {
  const { context } = discoveryApp(db.sql, { capabilities });
  sourceNumber += 1;
  const sourceId = `11111111-1111-4111-8111-${String(sourceNumber).padStart(12, '0')}`;
  await insertSource(db.sql, sourceId, {
    name: `sample rss ${sourceNumber}`,
    kind: 'sample',
    url: 'startup-news.rss',
    mapping: {},
    interval_seconds: 3_600,
    max_bytes: 1_048_576,
    timeout_ms: 1_000,
    min_interval_seconds: 0,
    enabled: true,
  });
  const { run } = await queueRun(db.sql, crypto.randomUUID(), `manual:${sourceNumber}`, [sourceId]);
  expect(await executeNextRun(context)).toBe('ran');
  const rows = await db.sql<
    { themes: string[]; components: { capability_fit: ScoredComponent } }[]
  >`
    select themes, components from discovery_opportunities where run_id = ${run.id} order by score desc`;
  const [state] = await db.sql<
    { state: string }[]
  >`select state from discovery_runs where id = ${run.id}`;
  return { state: state?.state, opportunities: rows };
}

describe('capability fit from the knowledge graph', () => {
  it('reads the skills and tools once over HTTP with the service identity', async () => {
    await addEntry('skills', 'Automated bookkeeping', 'Reconciles receipts and invoices');
    await addEntry('tools', 'Invoice reader', 'Reads supplier invoices into the ledger');
    await addEntry('skills', 'Medieval cartography', 'Old maps');
    const capabilities = await readCapabilities(discoveryDkg());
    if (capabilities === 'unavailable') throw new Error('unavailable');
    expect(capabilities.entries.map((e) => [e.kind, e.name])).toEqual([
      ['skill', 'Automated bookkeeping'],
      ['skill', 'Medieval cartography'],
      ['tool', 'Invoice reader'],
    ]);
    expect([...(capabilities.entries[0]?.words ?? [])].sort()).toEqual(
      ['automated', 'bookkeeping', 'invoice', 'receipt', 'reconcile'].sort(),
    );
  });

  it('scores a run’s themes against them, naming the matched skills and tools', async () => {
    const { state, opportunities } = await runOnSamples(() => readCapabilities(discoveryDkg()));
    expect(state).toBe('succeeded');
    const bookkeeping = opportunities.find((o) => o.themes.some((t) => t.includes('bookkeeping')));
    if (!bookkeeping) throw new Error(`no bookkeeping theme in ${JSON.stringify(opportunities)}`);
    const fit = bookkeeping.components.capability_fit;
    expect(fit.neutral).toBeUndefined();
    expect(fit.value).toBeGreaterThan(0);
    expect(fit.value).toBeLessThanOrEqual(1);
    expect(fit.explanation).toContain('skill "Automated bookkeeping"');
    expect(fit.explanation).not.toContain('Medieval cartography');
    for (const other of opportunities.filter((o) => o !== bookkeeping))
      expect(other.components.capability_fit.neutral).toBeUndefined();
  });

  it('is neutral, and the run still succeeds, when the DKG manager does not answer or is not set up', async () => {
    const unreachable = discoveryDkg({ DKG_MANAGER_URL: 'http://127.0.0.1:9' });
    await expect(readCapabilities(unreachable)).rejects.toThrow();
    const noKey = discoveryDkg({ SERVICE_SIGNING_KEY: undefined });
    await expect(readCapabilities(noKey)).rejects.toThrow();
    for (const client of [unreachable, noKey]) {
      const { state, opportunities } = await runOnSamples(() => readCapabilities(client));
      expect(state).toBe('succeeded');
      expect(opportunities.length).toBeGreaterThan(0);
      for (const o of opportunities)
        expect(o.components.capability_fit).toMatchObject({
          value: 0.5,
          neutral: true,
          explanation: 'the knowledge graph was unavailable: neutral',
        });
    }
  });
});
