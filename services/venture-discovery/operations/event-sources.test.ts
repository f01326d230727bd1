import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBus, until } from '../../../test/events/fixtures.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { ValidationError } from '../../platform/errors.js';
import { type EventEnvelope, newEnvelope } from '../../platform/events/index.js';
import { queueRun } from '../repository/run-store.js';
import { discoveryApp } from '../testing/discovery-app.js';
import { useDiscoveryDatabase } from '../testing/discovery-database.js';
import type { DiscoveryContext } from './discovery-context.js';
import { startEventSources } from './event-sources.js';
import { executeNextRun } from './execute-run.js';
import { createSource } from './manage-sources.js';

const db = useDiscoveryDatabase('venture-discovery-events');
const redis = useTestRedis();
const place = () => ({ redisUrl: redis.url, keyPrefix: redis.keyPrefix });

let discovery: Awaited<ReturnType<typeof openBus>>;
let dkg: Awaited<ReturnType<typeof openBus>>;
let context: DiscoveryContext;

beforeAll(async () => {
  context = discoveryApp(db.sql).context;
  discovery = await openBus('redis', place(), 'venture-discovery');
  dkg = await openBus('redis', place(), 'dkg-manager');
  await startEventSources(discovery.bus, context);
});
afterAll(async () => {
  await discovery?.close();
  await dkg?.close();
});

const settings = {
  interval_seconds: 3_600,
  max_bytes: 1_048_576,
  timeout_ms: 1_000,
  min_interval_seconds: 0,
  enabled: true,
};

/** A skill created in the knowledge graph, as the DKG manager announces it. */
const skillCreated = (name: string): EventEnvelope =>
  newEnvelope({
    topic: 'aia.dkg.changes.v1',
    key: randomUUID(),
    schemaVersion: 1,
    producer: 'dkg-manager',
    record: {
      entry_id: randomUUID(),
      registry: 'skill',
      change: 'created',
      version: 1,
      name,
      changed_at: new Date().toISOString(),
    },
  });

const signalsOf = async (sourceId: string) =>
  db.sql<{ title: string }[]>`
    select title from discovery_signals where source_id = ${sourceId} order by title`;

describe('events sources (the platform’s own events, Redis Streams)', () => {
  it('refuses an events source without a known topic or a title field, naming the field', async () => {
    const bad = (url: string | null, mapping: Record<string, string>) =>
      createSource(context, {
        name: `bad ${randomUUID()}`,
        kind: 'events',
        url,
        mapping,
        ...settings,
      })
        .then(() => undefined)
        .catch((error: unknown) => error);
    const noTopic = await bad('aia.ledger.transfers.v1', { title: 'name' });
    expect(noTopic).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(noTopic)).toContain('url');
    const noTitle = await bad('aia.dkg.changes.v1', {});
    expect(noTitle).toBeInstanceOf(ValidationError);
    expect(JSON.stringify(noTitle)).toContain('mapping.title');
  });

  it('keeps each event once as a signal, and the next run clusters and scores them', async () => {
    const source = await createSource(context, {
      name: 'knowledge graph changes',
      kind: 'events',
      url: 'aia.dkg.changes.v1',
      mapping: { title: 'name' },
      ...settings,
    });
    const envelopes = [
      skillCreated('Invoice automation for bakeries'),
      skillCreated('Invoice automation for florists'),
      skillCreated('Invoice automation for cafes and bakeries'),
      // Unrelated skills: theme words are weighed by how rare they are among the signals.
      skillCreated('Medieval map exhibition opens'),
      skillCreated('Heat pump installers wanted'),
      skillCreated('Sourdough baking class in town'),
    ];
    const first = envelopes[0];
    if (!first) throw new Error('no envelope');
    // The first is delivered twice (at least once): it is kept once.
    await dkg.bus.publisher.publish([...envelopes, first]);
    await until('six signals kept', async () => (await signalsOf(source.id)).length === 6);
    const handled = async () =>
      (await discovery.registry.getSingleMetric('events_consumed_total')?.get())?.values
        .filter((v) => v.labels.topic === 'aia.dkg.changes.v1')
        .reduce((sum, v) => sum + v.value, 0) ?? 0;
    await until('the duplicate seen', async () => (await handled()) >= 7);
    expect((await signalsOf(source.id)).map((s) => s.title)).toEqual([
      'Heat pump installers wanted',
      'Invoice automation for bakeries',
      'Invoice automation for cafes and bakeries',
      'Invoice automation for florists',
      'Medieval map exhibition opens',
      'Sourdough baking class in town',
    ]);

    const { run } = await queueRun(db.sql, randomUUID(), 'manual:events', [source.id]);
    expect(await executeNextRun(context)).toBe('ran');
    const [finished] = await db.sql<{ state: string; sources: Record<string, { kind: string }> }[]>`
      select state, sources from discovery_runs where id = ${run.id}`;
    expect(finished?.state).toBe('succeeded');
    expect(finished?.sources[source.id]?.kind).toBe('events');
    const evidence = await db.sql<{ themes: string[]; signals: number }[]>`
      select o.themes, count(*)::int as signals
        from discovery_opportunities o join discovery_evidence e on e.opportunity_id = o.id
        join discovery_signals s on s.id = e.signal_id
       where o.run_id = ${run.id} and s.source_id = ${source.id}
       group by o.id`;
    expect(evidence).toHaveLength(1);
    expect(evidence[0]?.signals).toBe(3);
    expect(evidence[0]?.themes).toContain('invoice automation');
  });

  it('keeps an event of a topic no source names as nothing', async () => {
    const before = await db.sql<{ n: number }[]>`select count(*)::int as n from discovery_signals`;
    const run = newEnvelope({
      topic: 'aia.agents.runs.v1',
      key: randomUUID(),
      schemaVersion: 1,
      producer: 'agent-orchestrator',
      record: {
        run_id: randomUUID(),
        agent_id: randomUUID(),
        task_id: randomUUID(),
        outcome: 'succeeded',
        cost: '1',
        duration_ms: 5,
        finished_at: new Date().toISOString(),
      },
    });
    await dkg.bus.publisher.publish([run]);
    const handled = async () =>
      (await discovery.registry.getSingleMetric('events_consumed_total')?.get())?.values
        .filter((v) => v.labels.topic === 'aia.agents.runs.v1')
        .reduce((sum, v) => sum + v.value, 0) ?? 0;
    await until('the run event handled', async () => (await handled()) >= 1);
    const after = await db.sql<{ n: number }[]>`select count(*)::int as n from discovery_signals`;
    expect(after[0]?.n).toBe(before[0]?.n);
  });
});
