import { describe, expect, it } from 'vitest';
import { queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { executeNextRun } from './execute-run.js';
import { SAMPLE_SOURCES } from './sample-sources.js';

const db = useDiscoveryDatabase('venture-discovery-opportunity-per-theme');

async function runOnce(context: ReturnType<typeof discoveryApp>['context'], n: number) {
  await queueRun(db.sql, `4222222${n}-2222-4222-8222-222222222222`, `manual:theme-${n}`, null);
  expect(await executeNextRun(context)).toBe('ran');
}

const count = async (query: Promise<{ n: number }[]>) => (await query)[0]?.n;

describe('an opportunity is its theme', () => {
  it('three runs over the same sources keep one opportunity per theme, published once, a rejected one staying rejected', async () => {
    const { call, context } = discoveryApp(db.sql);
    // The local stack's sample files, read again by every run (no rate limit).
    for (const [i, sample] of SAMPLE_SOURCES.entries())
      await insertSource(db.sql, `4111111${i}-1111-4111-8111-111111111111`, {
        ...sample,
        min_interval_seconds: 0,
      });

    await runOnce(context, 1);
    const themes = await count(
      db.sql`select count(distinct theme_key)::int as n from discovery_opportunities`,
    );
    expect(themes).toBeGreaterThan(1);
    const [rejected] = await db.sql<{ id: string; theme_key: string }[]>`
      select id, theme_key from discovery_opportunities where published order by score desc limit 1`;
    if (!rejected) throw new Error('the first run published nothing');
    expect(
      (
        await call('POST', `/opportunities/${rejected.id}/feedback`, {
          body: { verdict: 'reject', reason: 'not for us' },
        })
      ).status,
    ).toBe(201);

    await runOnce(context, 2);
    await runOnce(context, 3);

    const rows = await db.sql<{ theme_key: string; status: string; published: boolean }[]>`
      select theme_key, status, published from discovery_opportunities`;
    expect(rows.length).toBe(new Set(rows.map((r) => r.theme_key)).size);
    const records = await db.sql<{ key: string }[]>`
      select key from outbox where topic = 'aia.ventures.opportunities.v1'`;
    expect(records.length).toBe(rows.filter((r) => r.published).length);
    expect(new Set(records.map((r) => r.key)).size).toBe(records.length);
    expect(records.filter((r) => r.key === rejected.id)).toHaveLength(1);
    expect(rows.find((r) => r.theme_key === rejected.theme_key)?.status).toBe('rejected');
    const history = await count(db.sql`
      select count(*)::int as n from discovery_opportunity_scores where opportunity_id = ${rejected.id}`);
    expect(history).toBe(3);

    const seenByFirst = (await (
      await call('GET', `/opportunities?run_id=4222222${1}-2222-4222-8222-222222222222&limit=100`)
    ).json()) as { items: { id: string; run_id: string }[] };
    expect(seenByFirst.items.map((i) => i.id)).toContain(rejected.id);
    expect(seenByFirst.items.find((i) => i.id === rejected.id)?.run_id).toBe(
      '42222223-2222-4222-8222-222222222222',
    );
  });
});
