import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import { type DkgChangeRecord, dkgChangeRecord } from '../../events/schemas/dkg-changes.js';
import { createDatabase, type Database } from '../../platform/db.js';
import type { IdempotencyClaim } from '../../platform/idempotency/idempotent.js';
import { migrateService } from '../../platform/migrations.js';
import type { GraphStore } from '../graph/graph-store.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { postgresGraphTx } from '../graph/postgres/postgres-graph-tx.js';
import { dkgApp } from '../testing/dkg-app.js';
import { addVersion } from './add-version.js';
import { createEntry } from './create-entry.js';
import { entryChanged, entryRelationChanged, publishChanges } from './dkg-change-events.js';
import type { DkgContext } from './dkg-context.js';
import { deleteRelation, putRelation } from './relations.js';

const database = useTestDatabase('dkg_changes');
let sql: Database;
let dkg: ReturnType<typeof dkgApp>;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-changes-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  dkg = dkgApp(sql);
});
afterAll(async () => {
  await sql?.end();
});

interface OutboxRow {
  key: string;
  producer: string;
  schema_version: number;
  payload: DkgChangeRecord;
}
/** The change events in the outbox, oldest first; of one key when given. */
const changeEvents = async (key?: string) =>
  sql<OutboxRow[]>`
    select key, producer, schema_version, payload from outbox
    where topic = 'aia.dkg.changes.v1' and (${key ?? null}::text is null or key = ${key ?? null})
    order by id`;
const eventCount = async () => (await changeEvents()).length;

let serial = 0;
const fresh = (name: string) => `${name} ${++serial}`;
type Created = { entry: { id: string }; version: { id: string } };
const create = async (registry: string, body: Record<string, unknown>, headers = {}) => {
  const res = await dkg.call('POST', `/${registry}`, { body, headers });
  expect(res.status, await res.clone().text()).toBe(201);
  return (await res.json()) as Created;
};
const relate = (body: Record<string, unknown>) => dkg.call('PUT', '/relations', { body });

describe('change events through the API (graph on PostgreSQL: one transaction)', () => {
  it('publishes a created event keyed by the entry, with its author, in the write transaction', async () => {
    const name = fresh('Summarise');
    const { entry, version } = await create('skills', { name, spec: { inputs: ['text'] } });
    const rows = await changeEvents(entry.id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ producer: 'dkg-manager', schema_version: 1 });
    expect(rows[0]?.payload).toEqual({
      entry_id: entry.id,
      registry: 'skill',
      change: 'created',
      version: 1,
      name,
      actor: 'ada',
      derived_from: [],
      changed_at: expect.any(String),
    });
    expect(dkgChangeRecord.safeParse(rows[0]?.payload).success).toBe(true);
    // A version 1 derived from another entry's version names it.
    const fork = await create('skills', { name: fresh('Summarise v2'), derived_from: version.id });
    expect((await changeEvents(fork.entry.id)).map((row) => row.payload.derived_from)).toEqual([
      [version.id],
    ]);
  });

  it('publishes each new version once as updated, with the version it derives from', async () => {
    const { entry, version: first } = await create('agents', { name: fresh('Analyst') });
    const res = await dkg.call('POST', `/agents/${entry.id}/versions`, {
      body: { description: 'Reads filings' },
    });
    expect(res.status).toBe(201);
    const rows = await changeEvents(entry.id);
    expect(rows.map((row) => row.payload.change)).toEqual(['created', 'updated']);
    expect(rows[1]?.payload).toMatchObject({
      registry: 'agent',
      version: 2,
      actor: 'ada',
      derived_from: [first.id],
    });
  });

  it('publishes nothing for a refused change', async () => {
    const name = fresh('Web search');
    const { entry } = await create('tools', { name });
    const before = await eventCount();
    const refusals = [
      await dkg.call('POST', '/tools', { body: { name: name.toUpperCase() } }),
      await dkg.call('POST', '/tools', { body: { name: 'x'.repeat(201) } }),
      await dkg.call('POST', `/tools/${entry.id}/versions`, { body: {}, as: 'bob' }),
      await relate({ type: 'HAS_SKILL', from_id: entry.id, to_id: entry.id, level: 2 }),
      await dkg.call('DELETE', `/relations/USES/${entry.id}/${entry.id}`),
    ];
    expect(refusals.map((res) => res.status)).toEqual([409, 422, 403, 422, 404]);
    expect(await eventCount()).toBe(before);
  });

  it('publishes nothing more when an Idempotency-Key is replayed', async () => {
    const body = { name: fresh('Plan then act') };
    const headers = { 'Idempotency-Key': `create-${serial}` };
    const first = await create('strategies', body, headers);
    const before = await eventCount();
    const again = await dkg.call('POST', '/strategies', { body, headers });
    expect(again.headers.get('Idempotent-Replayed')).toBe('true');
    const versionHeaders = { 'Idempotency-Key': `version-${serial}` };
    const path = `/strategies/${first.entry.id}/versions`;
    for (let attempt = 0; attempt < 2; attempt++)
      expect(
        (await dkg.call('POST', path, { body: { tags: ['v2'] }, headers: versionHeaders })).status,
      ).toBe(201);
    expect(await eventCount()).toBe(before + 1);
    expect((await changeEvents(first.entry.id)).map((row) => row.payload.change)).toEqual([
      'created',
      'updated',
    ]);
  });

  it('publishes a relation when set, again only when its level changes, and when removed', async () => {
    const agent = await create('agents', { name: fresh('Researcher') });
    const skillName = fresh('Market research');
    const skill = await create('skills', { name: skillName });
    const hasSkill = { type: 'HAS_SKILL', from_id: agent.entry.id, to_id: skill.entry.id };
    for (const level of [3, 3, 4]) expect((await relate({ ...hasSkill, level })).status).toBe(200);
    expect(
      (await dkg.call('DELETE', `/relations/HAS_SKILL/${agent.entry.id}/${skill.entry.id}`)).status,
    ).toBe(204);
    const rows = (await changeEvents(agent.entry.id)).slice(1);
    expect(rows.map((row) => [row.payload.change, row.payload.relation?.level])).toEqual([
      ['relation_set', 3],
      ['relation_set', 4],
      ['relation_removed', undefined],
    ]);
    expect(rows[0]?.payload).toMatchObject({
      entry_id: agent.entry.id,
      registry: 'agent',
      version: 1,
      actor: 'ada',
      relation: {
        type: 'HAS_SKILL',
        from_id: agent.entry.id,
        to_id: skill.entry.id,
        to_kind: 'skill',
        to_name: skillName,
      },
    });
    // Nothing is published under the skill: one record per relation, under its `from` entry.
    expect(await changeEvents(skill.entry.id)).toHaveLength(1);
  });

  it('names a task type by name, and keys lineage under the deriving version’s entry', async () => {
    const strategy = await create('strategies', { name: fresh('Outline first') });
    expect(
      (
        await relate({
          type: 'APPLIES_TO',
          from_id: strategy.entry.id,
          to_task_type: 'Market sizing',
        })
      ).status,
    ).toBe(200);
    const [, applies] = await changeEvents(strategy.entry.id);
    expect(applies?.payload.relation).toMatchObject({
      to_kind: 'task_type',
      to_name: 'Market sizing',
    });

    const base = await create('strategies', { name: fresh('Base') });
    const lineage = { type: 'DERIVED_FROM', from_id: strategy.version.id, to_id: base.version.id };
    expect((await relate(lineage)).status).toBe(200);
    const path = `/relations/DERIVED_FROM/${strategy.version.id}/${base.version.id}`;
    expect((await dkg.call('DELETE', path)).status).toBe(204);
    const rows = (await changeEvents(strategy.entry.id)).slice(2);
    expect(rows.map((row) => [row.payload.change, row.payload.version])).toEqual([
      ['relation_set', 1],
      ['relation_removed', 1],
    ]);
    expect(rows[0]?.payload.relation).toMatchObject({
      from_id: strategy.version.id,
      to_id: base.version.id,
      to_kind: 'version',
    });
  });

  it('publishes the removal of lineage a version was made with (announced in its record)', async () => {
    const { entry, version: first } = await create('tools', { name: fresh('Crawler') });
    const res = await dkg.call('POST', `/tools/${entry.id}/versions`, { body: { tags: ['x'] } });
    const { version: second } = (await res.json()) as Created;
    // Set again as it is: announced already with version 2, so nothing new.
    const lineage = { type: 'DERIVED_FROM', from_id: second.id, to_id: first.id };
    expect((await relate(lineage)).status).toBe(200);
    expect(
      (await dkg.call('DELETE', `/relations/DERIVED_FROM/${second.id}/${first.id}`)).status,
    ).toBe(204);
    const rows = await changeEvents(entry.id);
    expect(rows.map((row) => row.payload.change)).toEqual([
      'created',
      'updated',
      'relation_removed',
    ]);
  });
});

/**
 * The graph outside PostgreSQL's transaction, as on Neo4j: a store that reports itself as
 * `neo4j` and writes through its own transactions, and loses its connection after the commit of
 * the next write when told to (the change is made; nobody hears of it).
 */
function separateGraph(inner: GraphStore) {
  let failAfterNextCommit = false;
  const store: GraphStore = {
    ...inner,
    backend: 'neo4j',
    write: async (work) => {
      const result = await inner.write(work);
      if (failAfterNextCommit) {
        failAfterNextCommit = false;
        throw new Error('connection lost after the commit');
      }
      return result;
    },
  };
  return { store, failAfterNextCommit: () => (failAfterNextCommit = true) };
}

describe('change events when the graph commits on its own (Neo4j)', () => {
  let context: DkgContext;
  let graph: ReturnType<typeof separateGraph>;
  beforeAll(() => {
    graph = separateGraph(postgresGraphStore(sql));
    context = { graph: graph.store, sql };
  });
  const claim = (key: string): IdempotencyClaim => ({ subject: 'ada', key, fingerprint: key });
  const input = (name: string) => ({ name, description: '', tags: [], spec: {} });
  /** Registers an entry through the operation; its id. */
  const register = async (registry: 'skills' | 'agents', name: string) => {
    const { reply } = await createEntry(context, 'ada', registry, input(name), undefined);
    return (reply.body as { entry: { id: string } }).entry.id;
  };

  it('publishes a create lost after the graph commit once, when it is retried with its key', async () => {
    const name = fresh('Translator');
    graph.failAfterNextCommit();
    await expect(createEntry(context, 'ada', 'agents', input(name), claim(name))).rejects.toThrow(
      'connection lost',
    );
    const made = await sql<{ id: string }[]>`
      select id from graph_nodes where label = 'Agent' and properties ->> 'name' = ${name}`;
    expect(made).toHaveLength(1);
    expect(await changeEvents(made[0]?.id)).toHaveLength(0);

    const retried = await createEntry(context, 'ada', 'agents', input(name), claim(name));
    expect(retried.replayed).toBe(false);
    const replayed = await createEntry(context, 'ada', 'agents', input(name), claim(name));
    expect(replayed.replayed).toBe(true);
    const rows = await changeEvents(made[0]?.id);
    expect(rows.map((row) => [row.payload.change, row.payload.version])).toEqual([['created', 1]]);
  });

  it('publishes a new version and a relation lost after the commit once, with their retries', async () => {
    const skill = await register('skills', fresh('Coding'));
    graph.failAfterNextCommit();
    await expect(
      addVersion(context, 'ada', 'skills', skill, { tags: ['ts'] }, claim(`v-${skill}`)),
    ).rejects.toThrow('connection lost');
    await addVersion(context, 'ada', 'skills', skill, { tags: ['ts'] }, claim(`v-${skill}`));

    const agent = await register('agents', fresh('Dev'));
    const relation = { type: 'HAS_SKILL' as const, from_id: agent, to_id: skill, level: 2 };
    graph.failAfterNextCommit();
    await expect(putRelation(context, relation, 'ada')).rejects.toThrow('connection lost');
    await putRelation(context, relation, 'ada');
    graph.failAfterNextCommit();
    await expect(deleteRelation(context, 'HAS_SKILL', agent, skill, 'ada')).rejects.toThrow(
      'connection lost',
    );
    // The retry finds the relation gone (404), and publishes the removal nobody heard of.
    await expect(deleteRelation(context, 'HAS_SKILL', agent, skill, 'ada')).rejects.toThrow(
      'no HAS_SKILL relation',
    );

    expect((await changeEvents(skill)).map((row) => row.payload.change)).toEqual([
      'created',
      'updated',
    ]);
    expect((await changeEvents(agent)).map((row) => row.payload.change)).toEqual([
      'created',
      'relation_set',
      'relation_removed',
    ]);
  });

  it('catches an entry up before a relation from it, so its events stay in order', async () => {
    const name = fresh('Planner');
    graph.failAfterNextCommit();
    await expect(createEntry(context, 'ada', 'agents', input(name), undefined)).rejects.toThrow(
      'connection lost',
    );
    const [made] = await sql<{ id: string }[]>`
      select id from graph_nodes where label = 'Agent' and properties ->> 'name' = ${name}`;
    const other = await register('agents', fresh('Helper'));
    await putRelation(context, { type: 'MANAGES', from_id: made?.id as string, to_id: other });
    expect((await changeEvents(made?.id)).map((row) => row.payload.change)).toEqual([
      'created',
      'relation_set',
    ]);
  });
});

describe('publishChanges beside another transaction (an event consumer writing the graph)', () => {
  it('publishes the entries and relations a consumer reports, in its transaction, once', async () => {
    const lead = await create('agents', { name: fresh('Mirrored lead') });
    const report = await create('agents', { name: fresh('Mirrored report') });
    const published = await sql.begin(async (tx) => {
      const graph = postgresGraphTx(tx as unknown as Database);
      await graph.putEdge({
        type: 'MANAGES',
        from: lead.entry.id,
        to: report.entry.id,
        properties: {},
      });
      const changed = [
        entryChanged(lead.entry.id),
        entryRelationChanged('MANAGES', lead.entry.id, report.entry.id),
      ];
      const read = <T>(work: (g: typeof graph) => Promise<T>) => work(graph);
      const db = tx as unknown as Database;
      return [
        await publishChanges(db, read, changed, 'agent-orchestrator'),
        await publishChanges(db, read, changed, 'agent-orchestrator'),
      ];
    });
    expect(published).toEqual([1, 0]);
    const [, manages] = await changeEvents(lead.entry.id);
    expect(manages?.payload).toMatchObject({
      change: 'relation_set',
      actor: 'agent-orchestrator',
      relation: { type: 'MANAGES', to_id: report.entry.id, to_kind: 'agent' },
    });
  });
});
