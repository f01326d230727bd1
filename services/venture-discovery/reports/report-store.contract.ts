import { describe, expect, it } from 'vitest';
import { publishReports } from './publish-reports.js';
import { readReport, sha256, versionsOf } from './report-archive.js';
import { listReports } from './report-listing.js';
import type { ReportStore } from './report-store.js';
import {
  OPPORTUNITY_IDS,
  RUN_ID,
  sampleOpportunity,
  sampleRun,
} from './testing/report-fixtures.js';

const object = (key: string, body: string) => ({
  key,
  body,
  contentType: 'application/ld+json',
  metadata: { sha256: sha256(body) },
});

/**
 * What every ReportStore must do, and what the reports do on top of it: run against the
 * filesystem store and against the S3 store on a real S3 server. `fresh()` gives an empty store.
 */
export function reportStoreContract(name: string, fresh: () => ReportStore) {
  describe(`${name}: objects`, () => {
    it('writes an object once and refuses a second write of the key, keeping the first', async () => {
      const store = fresh();
      expect(await store.putIfAbsent(object('reports/run/a/v1.jsonld', '{"first":true}'))).toBe(
        'created',
      );
      expect(await store.putIfAbsent(object('reports/run/a/v1.jsonld', '{"second":true}'))).toBe(
        'exists',
      );
      const stored = await store.get('reports/run/a/v1.jsonld');
      expect(stored?.body).toBe('{"first":true}');
      expect(stored?.contentType).toBe('application/ld+json');
      expect(stored?.metadata.sha256).toBe(sha256('{"first":true}'));
      expect(Date.parse(stored?.lastModified ?? '')).not.toBeNaN();
    });

    it('answers undefined for a key nobody wrote', async () => {
      expect(await fresh().get('reports/run/nobody/v1.jsonld')).toBeUndefined();
    });

    it('lists keys under a prefix in key order, a page at a time', async () => {
      const store = fresh();
      const keys = ['p/b/2', 'p/a/1', 'p/c', 'p/b/10', 'q/x'];
      for (const key of keys) await store.putIfAbsent(object(key, key));
      const first = await store.list('p/', { limit: 2 });
      expect(first.keys).toEqual(['p/a/1', 'p/b/10']);
      expect(first.next).toBe('p/b/10');
      const second = await store.list('p/', { limit: 2, after: first.next as string });
      expect(second.keys).toEqual(['p/b/2', 'p/c']);
      const third = await store.list('p/', { limit: 2, after: 'p/c' });
      expect(third).toEqual({ keys: [] });
      expect((await store.list('p/b/', { limit: 10 })).keys).toEqual(['p/b/10', 'p/b/2']);
    });
  });

  describe(`${name}: reports`, () => {
    const reports = (store: ReportStore) => ({ enabled: true, store });
    const input = {
      run: sampleRun(),
      opportunities: [
        sampleOpportunity(),
        sampleOpportunity({ id: OPPORTUNITY_IDS[1], title: 'Second opportunity' }),
      ],
    };

    it('stores each report as v1, then recognises an unchanged report and stores nothing new', async () => {
      const store = fresh();
      const first = await publishReports(reports(store), input);
      expect(first).toMatchObject({ status: 'published', failures: [] });
      if (first.status !== 'published') throw new Error('expected published');
      expect(first.reports.map((r) => [r.id, r.version, r.status])).toEqual([
        [`opportunity-${OPPORTUNITY_IDS[0]}`, 1, 'created'],
        [`opportunity-${OPPORTUNITY_IDS[1]}`, 1, 'created'],
        [`run-${RUN_ID}`, 1, 'created'],
      ]);
      const again = await publishReports(reports(store), input);
      if (again.status !== 'published') throw new Error('expected published');
      expect(again.reports.map((r) => r.status)).toEqual(['unchanged', 'unchanged', 'unchanged']);
      expect(await versionsOf(store, { kind: 'run', subject: RUN_ID })).toEqual([1]);
      const stored = await readReport(store, { kind: 'run', subject: RUN_ID }, 'jsonld');
      expect(stored?.object.metadata.sha256).toBe(sha256(stored?.object.body ?? ''));
      expect(stored?.object.metadata.sha256).toBe(first.reports[2]?.sha256);
    });

    it('stores a changed report as v2 and leaves v1 as it was', async () => {
      const store = fresh();
      const ref = { kind: 'opportunity', subject: OPPORTUNITY_IDS[0] } as const;
      await publishReports(reports(store), input);
      const v1 = await readReport(store, ref, 'jsonld', 1);
      const changed = sampleOpportunity({ title: 'Invoice automation for clinics and dentists' });
      const outcome = await publishReports(reports(store), {
        run: sampleRun(),
        opportunities: [changed],
      });
      if (outcome.status !== 'published') throw new Error('expected published');
      expect(outcome.reports[0]).toMatchObject({ version: 2, status: 'created' });
      expect(await versionsOf(store, ref)).toEqual([1, 2]);
      expect((await readReport(store, ref, 'jsonld', 1))?.object.body).toBe(v1?.object.body);
      const latest = await readReport(store, ref, 'jsonld');
      expect(latest?.version).toBe(2);
      expect(JSON.parse(latest?.object.body ?? '{}')).toMatchObject({
        version: 2,
        name: 'Invoice automation for clinics and dentists',
      });
      expect((await readReport(store, ref, 'html', 2))?.object.body).toContain(
        'clinics and dentists',
      );
    });

    it('never stores a report that fails its checks, and still publishes the others', async () => {
      const store = fresh();
      const bad = sampleOpportunity({ id: OPPORTUNITY_IDS[1], score: 0.99 });
      const outcome = await publishReports(reports(store), {
        run: sampleRun(),
        opportunities: [sampleOpportunity(), bad],
      });
      if (outcome.status !== 'published') throw new Error('expected published');
      expect(outcome.failures).toEqual([
        { id: `opportunity-${OPPORTUNITY_IDS[1]}`, reason: expect.stringContaining('about.score') },
      ]);
      expect(outcome.reports.map((r) => r.id)).toEqual([
        `opportunity-${OPPORTUNITY_IDS[0]}`,
        `run-${RUN_ID}`,
      ]);
      expect(await versionsOf(store, { kind: 'opportunity', subject: OPPORTUNITY_IDS[1] })).toEqual(
        [],
      );
      expect((await store.list('reports/opportunity/', { limit: 100 })).keys).toEqual([
        `reports/opportunity/${OPPORTUNITY_IDS[0]}/v1.html`,
        `reports/opportunity/${OPPORTUNITY_IDS[0]}/v1.jsonld`,
      ]);
    });

    it('builds and stores nothing when reports are disabled', async () => {
      const store = fresh();
      expect(await publishReports({ enabled: false, store }, input)).toEqual({
        status: 'disabled',
      });
      expect((await store.list('', { limit: 10 })).keys).toEqual([]);
    });

    it('lists reports a page at a time, by kind, by run and by opportunity', async () => {
      const store = fresh();
      await publishReports(reports(store), input);
      const otherRun = sampleRun({
        id: 'run-two',
        opportunity_ids: ['opp-three'],
        counts: { signals: 1, clusters: 1, opportunities: 1 },
      });
      await publishReports(reports(store), {
        run: otherRun,
        opportunities: [sampleOpportunity({ id: 'opp-three', run_id: 'run-two' })],
      });
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await listReports(store, {}, { limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.items.length).toBeLessThanOrEqual(2);
        seen.push(...page.items.map((item) => `${item.id}@${item.versions.join(',')}`));
        cursor = page.next;
      } while (cursor !== undefined);
      expect(seen).toEqual([
        `opportunity-${OPPORTUNITY_IDS[0]}@1`,
        `opportunity-${OPPORTUNITY_IDS[1]}@1`,
        'opportunity-opp-three@1',
        `run-${RUN_ID}@1`,
        'run-run-two@1',
      ]);
      const runs = await listReports(store, { kind: 'run' }, { limit: 10 });
      expect(runs.items.map((item) => item.id)).toEqual([`run-${RUN_ID}`, 'run-run-two']);
      const ofRun = await listReports(store, { run: 'run-two' }, { limit: 10 });
      expect(ofRun.items.map((item) => item.id)).toEqual(['opportunity-opp-three', 'run-run-two']);
      const one = await listReports(
        store,
        { opportunity: 'opp-three', run: RUN_ID },
        { limit: 10 },
      );
      expect(one.items).toEqual([]);
      const mine = await listReports(
        store,
        { opportunity: 'opp-three', run: 'run-two' },
        { limit: 10 },
      );
      expect(mine.items).toEqual([
        {
          id: 'opportunity-opp-three',
          kind: 'opportunity',
          subject: 'opp-three',
          versions: [1],
          latest: 1,
        },
      ]);
    });
  });
}
