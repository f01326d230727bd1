import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBus, openTransport, until } from '../../../test/events/fixtures.js';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import { serviceDefinition } from '../../catalog.js';
import { deadLetterRecord } from '../../events/schemas/dead-letters.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { decodeEnvelope, type EventEnvelope } from '../../platform/events/index.js';
import type { Delivery, EventTransport } from '../../platform/events/transport.js';
import { createServiceMetrics } from '../../platform/metrics.js';
import { migrateService } from '../../platform/migrations.js';
import { ALL } from '../domain/scope.js';
import { createTrackerMetrics } from '../metrics.js';
import { scorecardsOfAgent } from '../repository/scorecard-store.js';
import {
  hoursBefore,
  runEnvelope,
  runRecord,
  storedScorecards,
  TEST_WINDOWS,
  TRACKER_TABLES,
} from '../testing/run-records.js';
import { publishRanks } from './publish-ranks.js';
import { runHandler, startTrackerConsumers } from './tracker-consumers.js';
import type { TrackerContext } from './tracker-context.js';

const database = useTestDatabase('tracker_consumers');
const redis = useTestRedis();
const place = () => ({ redisUrl: redis.url, keyPrefix: redis.keyPrefix });

let sql: Database;
let context: TrackerContext;
let tracker: Awaited<ReturnType<typeof openBus>>;
let orchestrator: Awaited<ReturnType<typeof openBus>>;
const metrics = createServiceMetrics({
  service: 'performance-tracker',
  declared: serviceDefinition('performance-tracker').metrics,
});

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'tracker-consumers-test', max: 8 });
  await migrateService(sql, 'performance-tracker');
  context = { sql, windows: TEST_WINDOWS, metrics: createTrackerMetrics(metrics.registry) };
  tracker = await openBus('redis', place(), 'performance-tracker');
  orchestrator = await openBus('redis', place(), 'agent-orchestrator');
  await startTrackerConsumers(tracker.bus, context);
});
afterAll(async () => {
  await tracker?.close();
  await orchestrator?.close();
  await sql?.end();
});

const publish = (envelopes: EventEnvelope[]) => orchestrator.bus.publisher.publish(envelopes);
const consumed = async (outcome: 'handled' | 'duplicate') => {
  const metric = await tracker.registry.getSingleMetric('events_consumed_total')?.get();
  return (
    metric?.values.find(
      (v) => v.labels.topic === 'aia.agents.runs.v1' && v.labels.outcome === outcome,
    )?.value ?? 0
  );
};
const handledAtLeast = async (count: number) => {
  await until(`${count} runs handled`, async () => (await consumed('handled')) >= count);
};
const overall = async (agentId: string, window: 'sliding' | 'decayed' = 'sliding') =>
  (await scorecardsOfAgent(sql, window, agentId)).find((row) => row.skill === ALL);

/** Runs `body` while reading the runs topic's dead letters about `agent` into `letters`. */
async function withDeadLetters(
  agent: string,
  body: (letters: Delivery[], transport: EventTransport) => Promise<void>,
): Promise<void> {
  const { transport, close } = await openTransport('redis', place());
  const letters: Delivery[] = [];
  const reader = await transport.consume({
    group: `dlq-reader-${randomUUID()}`,
    topics: ['aia.agents.runs.v1.dlq'],
    handle: async (delivery) => {
      if (delivery.key === agent) letters.push(delivery);
    },
  });
  try {
    await body(letters, transport);
  } finally {
    await reader.stop();
    await close();
  }
}

/** The dead-letter record a delivery carries. */
function deadLetterOf(delivery: Delivery | undefined) {
  const decoded = decodeEnvelope(delivery?.value ?? '');
  if (!decoded.ok) throw new Error(decoded.error);
  return deadLetterRecord.parse(decoded.envelope.record);
}

describe('the tracker consuming aia.agents.runs.v1 (Redis Streams)', () => {
  it('starts its domain metrics at zero', async () => {
    const text = await metrics.registry.metrics();
    for (const outcome of ['succeeded', 'failed', 'cancelled'])
      expect(text).toMatch(
        new RegExp(`performance_runs_ingested_total\\{outcome="${outcome}"[^}]*\\} 0`),
      );
    for (const outcome of ['promoted', 'failed'])
      expect(text).toMatch(new RegExp(`agent_improvements_total\\{outcome="${outcome}"[^}]*\\} 0`));
    expect(text).toMatch(/performance_ingest_lag_seconds\{[^}]*\} 0/);
  });

  it('counts a run once when its envelope is delivered twice and when it comes in a second envelope', async () => {
    const agent = randomUUID();
    const first = runRecord(agent, { skill: 'Sorting' });
    const envelope = runEnvelope(first);
    const [handled, duplicates] = [await consumed('handled'), await consumed('duplicate')];
    await publish([envelope, envelope, runEnvelope(first), runEnvelope(runRecord(agent))]);
    await until(
      'the redelivery was skipped',
      async () => (await consumed('duplicate')) > duplicates,
    );
    await handledAtLeast(handled + 3);
    const card = await overall(agent);
    expect(card).toMatchObject({ runs: 2, successes: 2, failures: 0, costTotal: '1' });
    const skills = await scorecardsOfAgent(sql, 'sliding', agent);
    expect(skills.map((row) => [row.skill, row.runs])).toEqual([
      [ALL, 2],
      ['sorting', 1],
    ]);
    const ingested = await metrics.registry
      .getSingleMetric('performance_runs_ingested_total')
      ?.get();
    expect(
      ingested?.values.find((v) => v.labels.outcome === 'succeeded')?.value,
    ).toBeGreaterThanOrEqual(2);
  });

  it('places a late run in the windows it belongs to without moving them back', async () => {
    const agent = randomUUID();
    const now = new Date();
    const latest = now.toISOString();
    const handled = await consumed('handled');
    await publish([
      runEnvelope(runRecord(agent, { finished_at: latest, duration_ms: 100 })),
      runEnvelope(runRecord(agent, { finished_at: hoursBefore(now, 2), outcome: 'failed' })),
      // Eight days back: outside the 7-day sliding window, inside the decayed one (30 days).
      runEnvelope(runRecord(agent, { finished_at: hoursBefore(now, 8 * 24), cost: '2' })),
    ]);
    await handledAtLeast(handled + 3);
    const sliding = await overall(agent, 'sliding');
    expect(sliding).toMatchObject({ asOf: latest, runs: 2, successes: 1, failures: 1 });
    expect(sliding?.costPerSuccess).toBe('1');
    const decayed = await overall(agent, 'decayed');
    expect(decayed?.asOf).toBe(latest);
    // Weights 1, 2^(-2/72) and 2^(-192/72): about 2.138 runs.
    expect(decayed?.runs).toBeCloseTo(1 + 2 ** (-2 / 72) + 2 ** (-192 / 72), 9);
    expect(decayed?.successes).toBeCloseTo(1 + 2 ** (-192 / 72), 9);
  });

  it('sends a malformed or out-of-schema run to the dead-letter topic with the reason, and goes on', async () => {
    const agent = randomUUID();
    await withDeadLetters(agent, async (letters, transport) => {
      const handled = await consumed('handled');
      await transport.publish([{ topic: 'aia.agents.runs.v1', key: agent, value: '{not json' }]);
      await publish([
        runEnvelope({ ...runRecord(agent), duration_ms: -5 }),
        runEnvelope({ ...runRecord(agent), cost: 1.5 }),
        runEnvelope(runRecord(agent)),
      ]);
      await until('three dead letters', () => letters.length >= 3);
      await handledAtLeast(handled + 1);
      expect((await overall(agent))?.runs).toBe(1);
      const reasons = letters.map(deadLetterOf);
      expect(reasons.every((r) => r.reason === 'schema')).toBe(true);
      expect(reasons[1]?.error).toMatch(/duration_ms/);
      expect(reasons[2]?.error).toMatch(/cost/);
    });
  });

  it('dead-letters a run dated more than a day ahead of its event, and leaves its agent as it was', async () => {
    const agent = randomUUID();
    await withDeadLetters(agent, async (letters) => {
      const handled = await consumed('handled');
      await publish([runEnvelope(runRecord(agent, { skill: 'sorting' }))]);
      await handledAtLeast(handled + 1);
      const before = await scorecardsOfAgent(sql, 'sliding', agent);
      expect(before.map((row) => row.runs)).toEqual([1, 1]);
      const future = runEnvelope(
        runRecord(agent, {
          skill: 'sorting',
          outcome: 'failed',
          finished_at: '2099-01-01T00:00:00.000Z',
        }),
      );
      // Within the tolerance: a clock a few hours ahead is taken in.
      const soon = runEnvelope(
        runRecord(agent, { skill: 'sorting', finished_at: hoursBefore(new Date(), -3) }),
      );
      await publish([future, soon]);
      await until('the future run was dead-lettered', () => letters.length >= 1);
      await handledAtLeast(handled + 3);
      const letter = deadLetterOf(letters[0]);
      expect(letter).toMatchObject({
        reason: 'schema',
        source_event_id: future.id,
        consumer_group: 'performance-tracker',
      });
      expect(letter.error).toMatch(/finished_at 2099-01-01/);
      const kept = await sql`select count(*)::int as n from tracker_runs where agent_id = ${agent}`;
      expect(kept[0]?.n).toBe(2);
      const after = await scorecardsOfAgent(sql, 'sliding', agent);
      expect(after.map((row) => [row.skill, row.runs, row.failures])).toEqual([
        [ALL, 2, 0],
        ['sorting', 2, 0],
      ]);
      expect(letters).toHaveLength(1);
    });
  });

  it('dead-letters a run in the skill "*", which stands for every skill, and leaves its agent as it was', async () => {
    const agent = randomUUID();
    await withDeadLetters(agent, async (letters) => {
      const handled = await consumed('handled');
      await publish([runEnvelope(runRecord(agent, { skill: 'sorting' }))]);
      await handledAtLeast(handled + 1);
      const starred = runEnvelope(runRecord(agent, { skill: ' * ', outcome: 'failed' }));
      await publish([starred, runEnvelope(runRecord(agent, { skill: 'sorting' }))]);
      await until('the starred run was dead-lettered', () => letters.length >= 1);
      await handledAtLeast(handled + 3);
      const letter = deadLetterOf(letters[0]);
      expect(letter).toMatchObject({ reason: 'schema', source_event_id: starred.id });
      expect(letter.error).toMatch(/skill " \* " is reserved/);
      const cards = await scorecardsOfAgent(sql, 'sliding', agent);
      expect(cards.map((row) => [row.skill, row.runs, row.failures])).toEqual([
        [ALL, 2, 0],
        ['sorting', 2, 0],
      ]);
      expect(letters).toHaveLength(1);
    });
  });

  it('rebuilds the same scorecards and ranks when the topic is replayed from the start', async () => {
    const agents = [randomUUID(), randomUUID(), randomUUID()];
    const now = new Date();
    const records = agents.flatMap((agent, a) =>
      Array.from({ length: 6 }, (_, i) =>
        runRecord(agent, {
          skill: i % 2 === 0 ? 'forecasting' : 'Writing',
          outcome: (i + a) % 3 === 0 ? 'failed' : 'succeeded',
          finished_at: hoursBefore(now, (i * 37) % 200),
          duration_ms: 100 + 37 * i * (a + 1),
          cost: `${a}.${i}5`,
          ...(i % 2 === 0 ? { quality: (i + 1) / 10 } : {}),
        }),
      ),
    );
    const handled = await consumed('handled');
    await publish(records.map((record) => runEnvelope(record)));
    await handledAtLeast(handled + records.length);
    await sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
    const before = await derivedState();
    const runs = Number((await sql`select count(*) from tracker_runs`)[0]?.count);

    await sql.unsafe(`truncate ${TRACKER_TABLES.join(', ')}`);
    const replay = await openBus('redis', place(), 'performance-tracker');
    try {
      await replay.bus.subscribe({
        topic: 'aia.agents.runs.v1',
        group: 'performance-tracker-replay',
        sql,
        handler: runHandler(replay.bus.publisher, context),
      });
      await until(
        'the replay took every run in',
        async () => Number((await sql`select count(*) from tracker_runs`)[0]?.count) === runs,
      );
    } finally {
      await replay.close();
    }
    await sql.begin((tx) => publishRanks(tx as unknown as Database, TEST_WINDOWS));
    expect(await derivedState()).toEqual(before);
  });
});

/** The scorecards and current ranks, without their write times. */
async function derivedState() {
  const scorecards = await storedScorecards(sql);
  const ranks = await sql`
    select window_name, skill, agent_id, rank, score from tracker_current_ranks
     order by window_name, skill, agent_id`;
  return { scorecards, ranks: [...ranks] };
}
