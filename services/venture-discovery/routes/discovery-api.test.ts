import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { corpusSignals } from '../../../bench/discovery/corpus.js';
import { executeNextRun } from '../operations/execute-run.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { rss, startSourceServer } from '../testing/source-server.js';

const db = useDiscoveryDatabase('venture-discovery-api');

/** Corpus items as feed items: the good themes and the crowded ones, undated (seen now). */
const corpusItems = corpusSignals()
  .filter((s) => s.id.startsWith('c-'))
  .map((s) => ({ title: s.title, text: s.body, link: s.url ?? '' }));
const half = Math.ceil(corpusItems.length / 2);

const BILLION_LAUGHS = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><rss><channel><item><title>&lol2;</title></item></channel></rss>`;

let server: Awaited<ReturnType<typeof startSourceServer>>;
beforeAll(async () => {
  server = await startSourceServer({
    '/a.rss': {
      headers: { 'content-type': 'application/rss+xml', etag: '"v1"' },
      body: rss(corpusItems.slice(0, half)),
    },
    '/b.rss': {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss(corpusItems.slice(half)),
    },
    '/invalid.xml': { body: '<rss><channel><item><title>unclosed</channel></rss>' },
    '/laughs.xml': { body: BILLION_LAUGHS },
    '/huge.xml': {
      body: `<rss><channel>${'<item><title>x</title></item>'.repeat(20_000)}</channel></rss>`,
    },
    '/latin1.xml': {
      headers: { 'content-type': 'application/xml; charset=klingon' },
      body: rss([]),
    },
    '/bad-utf8.xml': {
      headers: { 'content-type': 'application/xml; charset=utf-8' },
      body: Buffer.from([0x3c, 0xff, 0xfe, 0x3e]),
    },
    '/slow.xml': 'stall',
    '/bad.csv': { headers: { 'content-type': 'text/csv' }, body: 'title,text\n"unterminated,x\n' },
    '/gone.xml': { status: 500, body: 'oops' },
  });
});
afterAll(() => server?.close());

const source = (name: string, kind: string, path: string, extra: object = {}) => ({
  name,
  kind,
  url: server.url(path),
  timeout_ms: 1_000,
  max_bytes: 100_000,
  min_interval_seconds: 0,
  ...extra,
});

describe('venture discovery API against real PostgreSQL and local sources', () => {
  it('discovers scored, explained opportunities; records each bad source and goes on', async () => {
    const { call, context } = discoveryApp(db.sql);
    for (const body of [
      source('A', 'feed', '/a.rss'),
      source('B', 'feed', '/b.rss'),
      source('invalid', 'feed', '/invalid.xml'),
      source('laughs', 'feed', '/laughs.xml'),
      source('huge', 'feed', '/huge.xml'),
      source('charset', 'feed', '/latin1.xml'),
      source('bad utf-8', 'feed', '/bad-utf8.xml'),
      source('slow', 'feed', '/slow.xml', { timeout_ms: 300 }),
      source('bad csv', 'csv', '/bad.csv'),
      source('gone', 'feed', '/gone.xml'),
      { ...source('closed', 'feed', '/x'), url: 'http://127.0.0.1:1/feed' },
    ])
      expect((await call('POST', '/sources', { body })).status).toBe(201);

    const queued = await call('POST', '/runs', { headers: { 'Idempotency-Key': 'first' } });
    expect(queued.status).toBe(202);
    const run = (await queued.json()) as { id: string };
    const again = await call('POST', '/runs', { headers: { 'Idempotency-Key': 'first' } });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { id: string }).id).toBe(run.id);

    expect(await executeNextRun(context)).toBe('ran');
    expect(await executeNextRun(context)).toBe('idle');

    const shown = (await (await call('GET', `/runs/${run.id}`)).json()) as {
      state: string;
      step: string;
      progress: {
        fetched: number;
        accepted: number;
        clustered: number;
        scored: number;
        published: number;
      };
      sources: { name: string; failures: { code: string }[] }[];
      weights: { used: Record<string, number> };
    };
    expect(shown).toMatchObject({ state: 'succeeded', step: 'done' });
    expect(shown.progress.fetched).toBe(corpusItems.length);
    expect(shown.progress.clustered).toBeGreaterThan(5);
    expect(shown.progress.scored).toBeGreaterThan(5);
    const failure = (name: string) => shown.sources.find((s) => s.name === name)?.failures[0]?.code;
    expect(failure('A')).toBeUndefined();
    expect(failure('invalid')).toBe('invalid_xml');
    expect(failure('laughs')).toBe('xml_entities_refused');
    expect(failure('huge')).toBe('too_large');
    expect(failure('charset')).toBe('unsupported_charset');
    expect(failure('bad utf-8')).toBe('invalid_encoding');
    expect(failure('slow')).toBe('fetch_timeout');
    expect(failure('bad csv')).toBe('invalid_csv');
    expect(failure('gone')).toBe('http_status');
    expect(failure('closed')).toBe('unreachable');

    const list = (await (await call('GET', '/opportunities?limit=3')).json()) as {
      items: { id: string; score: number }[];
      next_cursor: string;
    };
    expect(list.items).toHaveLength(3);
    expect(list.items.map((i) => i.score)).toEqual(
      [...list.items.map((i) => i.score)].sort((a, b) => b - a),
    );
    const next = (await (
      await call('GET', `/opportunities?limit=3&cursor=${list.next_cursor}`)
    ).json()) as {
      items: { id: string; score: number }[];
    };
    expect(next.items[0]?.score).toBeLessThanOrEqual(list.items[2]?.score ?? 0);
    expect(next.items.map((i) => i.id)).not.toContain(list.items[0]?.id);

    const best = (await (await call('GET', `/opportunities/${list.items[0]?.id}`)).json()) as {
      score: number;
      breakdown: {
        name: string;
        value: number;
        weight: number;
        contribution: number;
        neutral: boolean;
      }[];
      evidence: { url: string; source: { name: string } }[];
    };
    expect(best.breakdown.map((b) => b.name)).toContain('capability_fit');
    expect(best.breakdown.reduce((s, b) => s + b.contribution, 0)).toBeCloseTo(best.score, 3);
    expect(best.breakdown.find((b) => b.name === 'capability_fit')?.neutral).toBe(true);
    expect(best.evidence.length).toBeGreaterThan(1);
    expect(best.evidence[0]?.url).toMatch(/^https:\/\/example\.org\//);

    const published = await db.sql<{ n: number }[]>`
      select count(*)::int as n from outbox where topic = 'aia.ventures.opportunities.v1'`;
    expect(published[0]?.n).toBe(shown.progress.published);
    const steps = await db.sql<{ step: string }[]>`
      select payload->>'step' as step from outbox where topic = 'aia.ventures.runs.v1' and key = ${run.id} order by created_at, event_id`;
    expect(new Set(steps.map((s) => s.step))).toEqual(
      new Set(['started', 'fetched', 'clustered', 'scored', 'done']),
    );
  });

  it('filters by component, and feedback moves the next run’s weights within bounds', async () => {
    const { call, context } = discoveryApp(db.sql);
    const filtered = (await (
      await call('GET', '/opportunities?min_growth=0.6&sort=growth')
    ).json()) as {
      items: { components: Record<string, number> }[];
    };
    for (const item of filtered.items) expect(item.components.growth).toBeGreaterThanOrEqual(0.6);

    const { items } = (await (await call('GET', '/opportunities?limit=1')).json()) as {
      items: { id: string }[];
    };
    const feedback = await call('POST', `/opportunities/${items[0]?.id}/feedback`, {
      body: { verdict: 'reject', reason: 'not our market' },
    });
    expect(feedback.status).toBe(201);
    const queued = (await (await call('POST', '/runs')).json()) as { id: string };
    await executeNextRun(context);
    const run = (await (await call('GET', `/runs/${queued.id}`)).json()) as {
      sources: { name: string; unchanged: boolean }[];
      weights: {
        used: Record<string, number>;
        changes: Record<string, { from: number; to: number }>;
      };
    };
    expect(Object.keys(run.weights.changes).length).toBeGreaterThan(0);
    const sum = Object.values(run.weights.used).reduce((a, b) => a + b, 0);
    expect(sum).toBeCloseTo(1, 5);
    for (const change of Object.values(run.weights.changes))
      expect(Math.abs(change.to - change.from)).toBeLessThanOrEqual(0.05 + 1e-6);
    // Source A answered 304 to its ETag: nothing new.
    expect(run.sources.find((s) => s.name === 'A')?.unchanged).toBe(true);
    expect(server.hits.get('/a.rss')).toBe(2);
  });

  it('answers bad input with 4xx naming the field', async () => {
    const { call } = discoveryApp(db.sql);
    const problem = async (res: Response) => ({ status: res.status, body: await res.text() });
    expect(
      await problem(await call('POST', '/sources', { body: { name: 'x', kind: 'gopher' } })),
    ).toMatchObject({
      status: 422,
      body: expect.stringContaining('kind'),
    });
    expect(
      await problem(
        await call('POST', '/sources', {
          body: { name: 'meta', kind: 'feed', url: 'http://169.254.169.254/latest' },
        }),
      ),
    ).toMatchObject({ status: 422, body: expect.stringContaining('url') });
    expect(
      await problem(
        await call('POST', '/sources', {
          body: { name: 'escape', kind: 'sample', url: '../definition.ts' },
        }),
      ),
    ).toMatchObject({ status: 422, body: expect.stringContaining('url') });
    expect((await call('POST', '/sources', { body: source('A', 'feed', '/a.rss') })).status).toBe(
      409,
    );
    expect((await call('GET', '/opportunities?min_score=2')).status).toBe(422);
    expect((await call('GET', '/opportunities?sort=luck')).status).toBe(422);
    expect((await call('GET', '/opportunities?cursor=abc')).status).toBe(422);
    expect((await call('GET', '/runs/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect(
      (
        await call('POST', '/opportunities/00000000-0000-4000-8000-000000000000/feedback', {
          body: { verdict: 'reject', reason: 'x' },
        })
      ).status,
    ).toBe(404);
    expect(
      (
        await call('POST', '/runs', {
          body: { source_ids: ['00000000-0000-4000-8000-000000000000'] },
        })
      ).status,
    ).toBe(422);
    expect((await call('GET', '/opportunities', { scope: 'ledger:read' })).status).toBe(403);
  });

  it('takes uploaded CSV into an upload source, refusing a bad document whole', async () => {
    const { call } = discoveryApp(db.sql);
    const created = await call('POST', '/sources', {
      body: { name: 'uploads', kind: 'upload', mapping: { title: 'headline', text: 'body' } },
    });
    const { id } = (await created.json()) as { id: string };
    const csv =
      'headline,body\n"Pet telehealth, at night",vets see it\nBattery recycling wanted,repair shops\n';
    const upload = await call('POST', `/sources/${id}/items`, {
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(await upload.json()).toEqual({ received: 2, accepted: 2 });
    const again = await call('POST', `/sources/${id}/items`, {
      body: csv,
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(await again.json()).toEqual({ received: 2, accepted: 0 });
    const bad = await call('POST', `/sources/${id}/items`, {
      body: 'headline,body\nonly one field\n',
      headers: { 'Content-Type': 'text/csv' },
    });
    expect(bad.status).toBe(422);
    expect(await bad.text()).toContain('line 2 has 1 fields');
  });
});
