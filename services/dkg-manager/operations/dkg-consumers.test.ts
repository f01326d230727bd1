import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBus, until } from '../../../test/events/fixtures.js';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { useTestRedis } from '../../../test/harness/redis.js';
import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import { recordSchemas } from '../../events/schemas/index.js';
import type { EventTopicName } from '../../events/topics.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { type EventBus, type EventEnvelope, newEnvelope } from '../../platform/events/index.js';
import { migrateService } from '../../platform/migrations.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { evidenceOfEdge } from '../repository/evidence-edges.js';
import { evidenceRows } from '../repository/evidence-store.js';
import { cardSkill, registryRecord, runRecord } from '../testing/registry-records.js';
import { evidenceCopyWorker } from '../workers/evidence-copy.js';
import { startDkgConsumers } from './dkg-consumers.js';
import type { DkgContext } from './dkg-context.js';
import { mirrorAgent } from './mirror-agent.js';
import { recordRunEvidence } from './record-evidence.js';

const dkgDatabase = useTestDatabase('dkg_consumers');
const graphDatabase = useTestDatabase('dkg_consumers_graph');
const redis = useTestRedis();

let sql: Database;
let context: DkgContext;
let dkgBus: Awaited<ReturnType<typeof openBus>>;
let orchestratorBus: Awaited<ReturnType<typeof openBus>>;

beforeAll(async () => {
  sql = createDatabase({ url: dkgDatabase.url, applicationName: 'dkg-consumers-test', max: 8 });
  await migrateService(sql, 'dkg-manager');
  context = { graph: postgresGraphStore(sql), sql };
  const place = { redisUrl: redis.url, keyPrefix: redis.keyPrefix };
  dkgBus = await openBus('redis', place, 'dkg-manager');
  orchestratorBus = await openBus('redis', place, 'agent-orchestrator');
  await startDkgConsumers(dkgBus.bus, context);
});
afterAll(async () => {
  await dkgBus?.close();
  await orchestratorBus?.close();
  await sql?.end();
});

/** An envelope as the orchestrator's relay publishes it. */
const envelopeOf = <T extends EventTopicName>(topic: T, key: string, record: unknown) =>
  newEnvelope({
    topic,
    key,
    schemaVersion: recordSchemas[topic].version,
    producer: 'agent-orchestrator',
    record,
  });
const publish = (bus: EventBus, envelopes: EventEnvelope[]) => bus.publisher.publish(envelopes);
const consumed = async (topic: string, outcome: 'handled' | 'duplicate') => {
  const metric = await dkgBus.registry.getSingleMetric('events_consumed_total')?.get();
  return (
    metric?.values.find((v) => v.labels.topic === topic && v.labels.outcome === outcome)?.value ?? 0
  );
};
const agentRuns = async (agentId: string) =>
  (await evidenceRows(sql, 'agent_skill', agentId)).map((row) => Number(row.runs));

describe('the DKG consumers on the event bus (Redis Streams)', () => {
  it('count a run delivered twice once', async () => {
    const record = registryRecord({ name: 'Twice', skills: [cardSkill('sorting', 'Sorting')] });
    const run = envelopeOf(
      'aia.agents.runs.v1',
      record.agent_id,
      runRecord(record.agent_id, { skill: 'sorting' }),
    );
    const duplicatesBefore = await consumed('aia.agents.runs.v1', 'duplicate');
    await publish(orchestratorBus.bus, [
      envelopeOf('aia.agents.registry.v1', record.agent_id, record),
      run,
      run,
      envelopeOf(
        'aia.agents.runs.v1',
        record.agent_id,
        runRecord(record.agent_id, { skill: 'Sorting', outcome: 'failed' }),
      ),
    ]);
    await until(
      'the duplicate was consumed',
      async () => (await consumed('aia.agents.runs.v1', 'duplicate')) > duplicatesBefore,
    );
    // The record and the runs travel on two topics: either may be handled first.
    const edgeEvidence = async () => {
      const [held] = await context.graph.read((tx) =>
        tx.neighbours(record.agent_id, { direction: 'out', types: ['HAS_SKILL'] }),
      );
      return evidenceOfEdge(held?.edge.properties ?? {});
    };
    await until('both runs are on the edge', async () => (await edgeEvidence())?.runs === 2);
    expect(await agentRuns(record.agent_id)).toEqual([2]);
    expect(await edgeEvidence()).toMatchObject({
      runs: 2,
      successes: 1,
      failures: 1,
      cost_sum: '1',
    });
  });

  it('apply registry records of one agent in order, dropping the older one', async () => {
    const record = registryRecord({ name: 'First name' });
    const handled = await consumed('aia.agents.registry.v1', 'handled');
    await publish(orchestratorBus.bus, [
      envelopeOf('aia.agents.registry.v1', record.agent_id, {
        ...record,
        revision: 2,
        name: 'Second name',
      }),
      envelopeOf('aia.agents.registry.v1', record.agent_id, record),
    ]);
    await until(
      'both records handled',
      async () => (await consumed('aia.agents.registry.v1', 'handled')) >= handled + 2,
    );
    const node = await context.graph.read((tx) => tx.getNode('Agent', record.agent_id));
    expect(node?.properties).toMatchObject({ name: 'Second name', revision: 2 });
  });
});

describe('with the graph in another database, as on Neo4j', () => {
  let graphSql: Database;
  let apart: DkgContext;
  beforeAll(async () => {
    graphSql = createDatabase({
      url: graphDatabase.url,
      applicationName: 'dkg-graph-apart',
      max: 4,
    });
    await migrateService(graphSql, 'dkg-manager');
    // The graph commits on its own: graphBeside takes any backend but PostgreSQL as elsewhere.
    apart = { graph: { ...postgresGraphStore(graphSql), backend: 'neo4j' }, sql };
  });
  afterAll(async () => {
    await graphSql?.end();
  });

  /** Runs `work` in a transaction that then fails, as a handler whose commit is lost. */
  const thenFail = async (work: (tx: Database) => Promise<unknown>) =>
    expect(
      sql.begin(async (tx) => {
        await work(tx as unknown as Database);
        throw new Error('lost before commit');
      }),
    ).rejects.toThrow('lost before commit');

  it('counts a run once when its first handling wrote the graph and then failed', async () => {
    const record = registryRecord({ name: 'Apart', skills: [cardSkill('ropes', 'Rope work')] });
    await sql.begin((tx) => mirrorAgent(apart, tx as unknown as Database, record));
    const run = runRecord(record.agent_id, { skill: 'ropes', cost: '0.1' });
    await thenFail((tx) => recordRunEvidence(apart, tx, run));
    await sql.begin((tx) => recordRunEvidence(apart, tx as unknown as Database, run));
    await sql.begin((tx) =>
      recordRunEvidence(
        apart,
        tx as unknown as Database,
        runRecord(record.agent_id, { skill: 'ropes', cost: '0.2' }),
      ),
    );
    expect(await agentRuns(record.agent_id)).toEqual([2]);
    const [held] = await apart.graph.read((tx) =>
      tx.neighbours(record.agent_id, { direction: 'out', types: ['HAS_SKILL'] }),
    );
    expect(evidenceOfEdge(held?.edge.properties ?? {})).toMatchObject({ runs: 2, cost_sum: '0.3' });
  });

  it('counts runs while the graph does not answer, and the copy worker copies them after', async () => {
    const record = registryRecord({ name: 'Unreachable', skills: [cardSkill('knots', 'Knots')] });
    await sql.begin((tx) => mirrorAgent(apart, tx as unknown as Database, record));
    let down = true;
    const unavailable = Object.assign(new Error('Could not perform discovery'), {
      code: 'ServiceUnavailable',
    });
    const flaky: DkgContext = {
      sql,
      graph: {
        ...apart.graph,
        write: (work) => (down ? Promise.reject(unavailable) : apart.graph.write(work)),
      },
    };
    await sql.begin((tx) =>
      recordRunEvidence(
        flaky,
        tx as unknown as Database,
        runRecord(record.agent_id, { skill: 'knots' }),
      ),
    );
    expect(await evidenceRows(sql, 'agent_skill', record.agent_id)).toMatchObject([
      { runs: '1', copied: false },
    ]);
    down = false;
    const worker = evidenceCopyWorker(flaky, { recheckSeconds: 0 });
    await sql.begin((tx) => worker.run(tx as unknown as Database, new AbortController().signal));
    const [held] = await apart.graph.read((tx) =>
      tx.neighbours(record.agent_id, { direction: 'out', types: ['HAS_SKILL'] }),
    );
    expect(evidenceOfEdge(held?.edge.properties ?? {})?.runs).toBe(1);
    expect(await evidenceRows(sql, 'agent_skill', record.agent_id)).toMatchObject([
      { copied: true },
    ]);
  });

  it('finishes a registry record whose graph write committed before its transaction failed', async () => {
    const lead = registryRecord({ name: 'Apart lead' });
    const report: AgentRegistryRecord = registryRecord({
      name: 'Apart report',
      manager_id: lead.agent_id,
    });
    await sql.begin((tx) => mirrorAgent(apart, tx as unknown as Database, report));
    // The lead's graph write commits; the transaction that would join the report fails.
    await thenFail((tx) => mirrorAgent(apart, tx, lead));
    expect(await apart.graph.read((tx) => tx.getNode('Agent', lead.agent_id))).toBeDefined();
    const redelivered = await sql.begin((tx) =>
      mirrorAgent(apart, tx as unknown as Database, lead),
    );
    expect(redelivered.outcome).toBe('applied');
    const managers = await apart.graph.read((tx) =>
      tx.neighbours(report.agent_id, { direction: 'in', types: ['MANAGES'] }),
    );
    expect(managers.map(({ node }) => node.id)).toEqual([lead.agent_id]);
  });
});
