import { describe, expect, it } from 'vitest';
import { adjustWeights, type ComponentValues } from '../domain/weights.js';
import { findRun, queueRun } from '../repository/run-store.js';
import { insertSource } from '../repository/source-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import { executeNextRun } from './execute-run.js';
import { SAMPLE_SOURCES } from './sample-sources.js';

const db = useDiscoveryDatabase('venture-discovery-feedback-idempotency');
const CREATED = 201;
const CONFLICT = 409;

describe('feedback', () => {
  it('retried under one Idempotency-Key is kept once, with who gave it, and moves the weights once', async () => {
    const { call, context } = discoveryApp(db.sql);
    const [sample] = SAMPLE_SOURCES;
    if (!sample) throw new Error('no sample source');
    await insertSource(db.sql, '61111111-1111-4111-8111-111111111111', {
      ...sample,
      min_interval_seconds: 0,
    });
    await queueRun(db.sql, '62222221-2222-4222-8222-222222222222', 'manual:feedback-1', null);
    expect(await executeNextRun(context)).toBe('ran');
    const [opportunity] = await db.sql<
      { id: string; components: Record<string, { value: number }> }[]
    >`select id, components from discovery_opportunities order by score desc limit 1`;
    if (!opportunity) throw new Error('the run found nothing');

    const send = (reason: string) =>
      call('POST', `/opportunities/${opportunity.id}/feedback`, {
        body: { verdict: 'reject', reason },
        headers: { 'Idempotency-Key': 'verdict-1' },
      });
    const first = await send('crowded market');
    expect(first.status).toBe(CREATED);
    const recorded = (await first.json()) as { id: string; given_by: string };
    expect(recorded.given_by).toBe('ada');
    const retried = await send('crowded market');
    expect(retried.status).toBe(CREATED);
    expect(retried.headers.get('Idempotent-Replayed')).toBe('true');
    expect(((await retried.json()) as { id: string }).id).toBe(recorded.id);
    const reused = await send('another reason');
    expect(reused.status).toBe(CONFLICT);
    expect(await reused.text()).toContain('Idempotency-Key');

    const rows = await db.sql<{ id: string; subject: string }[]>`
      select id, subject from discovery_feedback`;
    expect(rows).toEqual([{ id: recorded.id, subject: 'ada' }]);

    await queueRun(db.sql, '62222222-2222-4222-8222-222222222222', 'manual:feedback-2', null);
    expect(await executeNextRun(context)).toBe('ran');
    const run = await findRun(db.sql, '62222222-2222-4222-8222-222222222222');
    const once = adjustWeights(context.settings.weights, [
      {
        verdict: 'reject',
        components: Object.fromEntries(
          Object.entries(opportunity.components).map(([name, c]) => [name, c.value]),
        ) as unknown as ComponentValues,
      },
    ]);
    expect(run?.weights?.used).toEqual(once.weights);
    expect(Object.keys(run?.weight_changes ?? {}).length).toBeGreaterThan(0);
  });
});
