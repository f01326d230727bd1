import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { queueRun } from '../repository/run-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';

const db = useDiscoveryDatabase('venture-discovery-run-list');

describe('GET /runs', () => {
  it('lists every run newest first a page at a time, the scheduled ones too', async () => {
    const { call, context } = discoveryApp(db.sql);
    // Runs of one millisecond are listed by id (the cursor's precision): each run here gets a
    // millisecond of its own, so the list's order is the order they were created in. A CI run
    // found two created in the same millisecond, listed by their random ids.
    const nextMillisecond = () => new Promise((resolve) => setTimeout(resolve, 2));
    const asked: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await call('POST', '/runs', { headers: { 'Idempotency-Key': `list-${i}` } });
      asked.push(((await res.json()) as { id: string }).id);
      await nextMillisecond();
    }
    // A run the schedule queued: no one holds its id but the list.
    const { run: scheduled } = await queueRun(context.sql, randomUUID(), 'schedule:test', null);
    const seen: { id: string; trigger: string }[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `?limit=2&cursor=${cursor}` : '?limit=2';
      const res = await call('GET', `/runs${query}`);
      expect(res.status).toBe(200);
      const page = (await res.json()) as {
        items: { id: string; trigger: string }[];
        next_cursor: string | null;
      };
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items);
      cursor = page.next_cursor;
    } while (cursor);
    expect(seen.map((run) => run.id)).toEqual([scheduled.id, ...asked.reverse()]);
    expect(seen[0]?.trigger).toBe('schedule:test');
  });

  it('refuses a cursor it did not give, naming it, and a limit out of range', async () => {
    const { call } = discoveryApp(db.sql);
    const cursor = await call('GET', '/runs?cursor=bm90LWEtY3Vyc29y');
    expect(cursor.status).toBe(422);
    expect(JSON.stringify(await cursor.json())).toContain('cursor');
    const limit = await call('GET', '/runs?limit=0');
    expect(limit.status).toBe(422);
    expect(JSON.stringify(await limit.json())).toContain('limit');
  });
});
