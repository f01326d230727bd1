import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../test/harness/databases.js';
import type { AgentRegistryRecord } from '../../events/schemas/agent-registry.js';
import { createDatabase, type Database } from '../../platform/db.js';
import { migrateService } from '../../platform/migrations.js';
import { postgresGraphStore } from '../graph/postgres/postgres-graph-store.js';
import { findEntry, versionsOf } from '../repository/entry-nodes.js';
import { pendingManagers } from '../repository/pending-managers.js';
import { dkgApp } from '../testing/dkg-app.js';
import { cardSkill, registryRecord } from '../testing/registry-records.js';
import type { DkgContext } from './dkg-context.js';
import { mirrorAgent } from './mirror-agent.js';

const database = useTestDatabase('dkg_mirror');
let sql: Database;
let context: DkgContext;
let api: ReturnType<typeof dkgApp>;

beforeAll(async () => {
  sql = createDatabase({ url: database.url, applicationName: 'dkg-mirror-test', max: 4 });
  await migrateService(sql, 'dkg-manager');
  context = { graph: postgresGraphStore(sql), sql };
  api = dkgApp(sql);
});
afterAll(async () => {
  await sql?.end();
});

const apply = (record: AgentRegistryRecord) =>
  sql.begin((tx) => mirrorAgent(context, tx as unknown as Database, record));
const read = <T>(work: Parameters<DkgContext['graph']['read']>[0]) =>
  context.graph.read(work) as Promise<T>;
const agentEntry = (id: string) => context.graph.read((tx) => findEntry(tx, 'agents', id));
const skillsOf = async (agentId: string) =>
  (
    await context.graph.read((tx) =>
      tx.neighbours(agentId, { direction: 'out', types: ['HAS_SKILL'] }),
    )
  )
    .map(({ node, edge }) => ({ name: node.properties.name, level: edge.properties.level }))
    .sort((a, b) => String(a.name).localeCompare(String(b.name)));
const managersOf = async (agentId: string) =>
  (
    await context.graph.read((tx) =>
      tx.neighbours(agentId, { direction: 'in', types: ['MANAGES'] }),
    )
  ).map(({ node }) => node.id);

describe('the agent mirror', () => {
  it("registers an agent under the orchestrator's id, owned by agent-orchestrator, with its card's skills", async () => {
    const created = await api.call('POST', '/skills', { body: { name: 'Market Research' } });
    const existingSkill = ((await created.json()) as { entry: { id: string } }).entry.id;
    const record = registryRecord({
      name: 'Analyst',
      skills: [
        cardSkill('market-research', 'market  research', { level: 5 }),
        cardSkill('summaries', 'Summaries'),
      ],
    });
    expect((await apply(record)).outcome).toBe('applied');
    expect(await agentEntry(record.agent_id)).toMatchObject({
      id: record.agent_id,
      name: 'Analyst',
      owner: 'agent-orchestrator',
      current_version: 1,
      tags: ['market-research', 'summaries'],
    });
    // The card's "market  research" is the existing "Market Research"; "Summaries" is made.
    expect(await skillsOf(record.agent_id)).toEqual([
      { name: 'Market Research', level: 5 },
      { name: 'Summaries', level: 3 },
    ]);
    const held = await read<{ node: { id: string } }[]>((tx) =>
      tx.neighbours(record.agent_id, { direction: 'out', types: ['HAS_SKILL'] }),
    );
    expect(held.map(({ node }) => node.id)).toContain(existingSkill);
    const made = await api.call('GET', '/skills?limit=500');
    const skills = ((await made.json()) as { entries: { name: string; owner: string }[] }).entries;
    expect(skills.find((s) => s.name === 'Summaries')?.owner).toBe('agent-orchestrator');
    // Read through the API as any entry.
    const res = await api.call('GET', `/agents/${record.agent_id}/versions`);
    const { versions } = (await res.json()) as { versions: { spec: Record<string, unknown> }[] };
    expect(versions[0]?.spec).toMatchObject({ card_version: '1.0.0', status: 'active' });
  });

  it('makes a version when the card changes, none when only the revision does, and drops skills the card lost', async () => {
    const first = registryRecord({
      name: 'Writer',
      skills: [cardSkill('drafting', 'Drafting'), cardSkill('editing', 'Editing')],
    });
    await apply(first);
    await apply({
      ...first,
      revision: 2,
      name: 'Senior writer',
      skills: [cardSkill('drafting', 'Drafting')],
    });
    await apply({
      ...first,
      revision: 3,
      name: 'Senior writer',
      skills: [cardSkill('drafting', 'Drafting')],
    });
    const versions = await context.graph.read((tx) => versionsOf(tx, first.agent_id));
    expect(versions.map((v) => [v.number, v.name])).toEqual([
      [1, 'Writer'],
      [2, 'Senior writer'],
    ]);
    const lineage = await read<{ node: { id: string } }[]>((tx) =>
      tx.neighbours(versions[1]?.id as string, { direction: 'out', types: ['DERIVED_FROM'] }),
    );
    expect(lineage.map(({ node }) => node.id)).toEqual([versions[0]?.id]);
    expect(await skillsOf(first.agent_id)).toEqual([{ name: 'Drafting', level: 3 }]);
  });

  it('changes nothing for a record older than the revision applied', async () => {
    const record = registryRecord({ name: 'Ordered', revision: 1 });
    await apply({ ...record, revision: 2, name: 'Ordered v2', skills: [cardSkill('a', 'Alpha')] });
    const { outcome } = await apply(record);
    expect(outcome).toBe('stale');
    expect((await agentEntry(record.agent_id))?.name).toBe('Ordered v2');
    expect(await skillsOf(record.agent_id)).toEqual([{ name: 'Alpha', level: 3 }]);
  });

  it('joins an agent to a manager whose record arrives after its own, and follows a move', async () => {
    const lead = registryRecord({ name: 'Lead' });
    const other = registryRecord({ name: 'Other lead' });
    const report = registryRecord({ name: 'Report', manager_id: lead.agent_id });
    await apply(report);
    expect(await managersOf(report.agent_id)).toEqual([]);
    expect(await pendingManagers(sql)).toContainEqual({
      agent_id: report.agent_id,
      manager_id: lead.agent_id,
    });
    await apply(lead);
    expect(await managersOf(report.agent_id)).toEqual([lead.agent_id]);
    expect((await pendingManagers(sql)).map((p) => p.agent_id)).not.toContain(report.agent_id);

    await apply(other);
    await apply({ ...report, revision: 2, manager_id: other.agent_id });
    expect(await managersOf(report.agent_id)).toEqual([other.agent_id]);
    await apply({ ...report, revision: 3, manager_id: null });
    expect(await managersOf(report.agent_id)).toEqual([]);
  });

  it('waits instead of closing a cycle when two agents swap places out of order', async () => {
    // The orchestrator: a under b; then a moved to the top (a rev 2) and b under a (b rev 2).
    const b = registryRecord({ name: 'Swap b' });
    const a = registryRecord({ name: 'Swap a', manager_id: b.agent_id });
    await apply(b);
    await apply(a);
    expect(await managersOf(a.agent_id)).toEqual([b.agent_id]);
    // b's move arrives first: b under a would close a cycle while a is still under b.
    await apply({ ...b, revision: 2, manager_id: a.agent_id });
    expect(await managersOf(b.agent_id)).toEqual([]);
    await apply({ ...a, revision: 2, manager_id: null });
    expect(await managersOf(a.agent_id)).toEqual([]);
    expect(await managersOf(b.agent_id)).toEqual([a.agent_id]);
    expect((await pendingManagers(sql)).map((p) => p.agent_id)).not.toContain(b.agent_id);
  });

  it('keeps a retired agent, marked retired, with its skills', async () => {
    const record = registryRecord({ name: 'Veteran', skills: [cardSkill('audit', 'Audit')] });
    await apply(record);
    await apply({ ...record, revision: 2, status: 'retired' });
    const node = await context.graph.read((tx) => tx.getNode('Agent', record.agent_id));
    expect(node?.properties).toMatchObject({ status: 'retired', revision: 2 });
    expect((await agentEntry(record.agent_id))?.current_version).toBe(2);
    expect(await skillsOf(record.agent_id)).toEqual([{ name: 'Audit', level: 3 }]);
  });

  it('publishes what it changed on aia.dkg.changes.v1, once, as agent-orchestrator', async () => {
    const record = registryRecord({
      name: 'Announcer',
      skills: [cardSkill('jingles', 'Jingle writing', { level: 4 })],
    });
    const changesOf = async (entryId: string) =>
      (
        await sql<
          {
            payload: {
              change: string;
              actor?: string;
              relation?: { type: string; level?: number };
            };
          }[]
        >`
          select payload from outbox where topic = 'aia.dkg.changes.v1' and key = ${entryId} order by id`
      ).map(({ payload }) => [
        payload.change,
        payload.relation?.type ?? null,
        payload.relation?.level ?? null,
      ]);
    await apply(record);
    expect(await changesOf(record.agent_id)).toEqual([
      ['created', null, null],
      ['relation_set', 'HAS_SKILL', 4],
    ]);
    const [skill] = await read<{ node: { id: string } }[]>((tx) =>
      tx.neighbours(record.agent_id, { direction: 'out', types: ['HAS_SKILL'] }),
    );
    expect(await changesOf(skill?.node.id as string)).toEqual([['created', null, null]]);
    await apply({ ...record, revision: 2, skills: [] });
    await apply({ ...record, revision: 3, skills: [] });
    expect((await changesOf(record.agent_id)).slice(2)).toEqual([
      ['updated', null, null],
      ['relation_removed', 'HAS_SKILL', null],
    ]);
  });

  it('mirrors agents that share a name, as the orchestrator allows', async () => {
    const [one, two] = [registryRecord({ name: 'Twin' }), registryRecord({ name: 'twin ' })];
    await apply(one);
    await apply(two);
    expect((await agentEntry(one.agent_id))?.name).toBe('Twin');
    expect((await agentEntry(two.agent_id))?.name).toBe('twin ');
  });
});
